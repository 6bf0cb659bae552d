package ingest_test

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/ingest"
)

func ExampleBytes() {
	src := []byte(`---
title: Peer navigators
date: 2021-03-04
---
# Roles

Peer **navigators** accompany patients to appointments and help them find [services](https://example.org).

# Training

Navigators complete six weeks of training and meet a supervisor every week to discuss their work.
`)
	doc, passages, err := ingest.Bytes(context.Background(), "navigators.md", src, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Format, doc.Kind, doc.Lang, doc.Title, doc.Year)
	for _, p := range passages {
		fmt.Printf("%d [%s] %q\n", p.N, p.Section, p.Text)
	}
	// Output:
	// markdown grey en Peer navigators 2021
	// 0 [Roles] "Peer navigators accompany patients to appointments and help them find services."
	// 1 [Training] "Navigators complete six weeks of training and meet a supervisor every week to discuss their work."
}
