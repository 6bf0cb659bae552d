package report_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/peermap/peermap/report"
)

// ExampleBuild builds the report of a small corpus and prints, for each
// label family, the configurations it names, and the closest pair of
// families.
func ExampleBuild() {
	in, _ := fixtureInput(nil)
	r, err := report.Build(context.Background(), in, report.Options{FindingWorks: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Findings {
		if f.Kind == report.FindingUnit {
			fmt.Printf("%s: %s\n", f.Subject, strings.Join(f.Configs, ", "))
		}
	}
	for _, c := range r.Configurations {
		fmt.Printf("(%s) %s\n", c.ID, c.Summary)
	}
	p := r.Pairs[0]
	fmt.Printf("closest: %s and %s (JSD %.2f), sharing %s\n", p.A, p.B, p.JSD, p.Shared[0])
	// Output:
	// peer navigator: A
	// peer support worker: B, C
	// community health worker: A, B
	// mediator: A
	// (A) peers doing navigation (population: underserved groups; relationship: bridge)
	// (B) peers (population: health condition; relationship: integrated in care)
	// (C) peers doing advocacy in peer-run organisations (relationship: autonomous)
	// closest: peer navigator and mediator (JSD 0.36), sharing role.navigation
}
