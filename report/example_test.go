package report_test

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/report"
)

// ExampleBuild builds the report of a small corpus and prints which label
// families hide different roles and which share one.
func ExampleBuild() {
	in, _ := fixtureInput(nil)
	r, err := report.Build(context.Background(), in, report.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Spread {
		fmt.Printf("%s: spread %.2f over %d works\n", s.Unit, s.Score, s.Works)
	}
	p := r.Pairs[0]
	fmt.Printf("closest: %s and %s (JSD %.2f), sharing %s\n", p.A, p.B, p.JSD, p.Shared[0])
	// Output:
	// community health worker: spread 0.47 over 2 works
	// peer support worker: spread 0.41 over 2 works
	// peer navigator: spread 0.22 over 2 works
	// mediator: spread 0.00 over 2 works
	// closest: peer navigator and mediator (JSD 0.33), sharing role.navigation
}
