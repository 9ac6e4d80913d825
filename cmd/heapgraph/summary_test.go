package main

import (
	"encoding/json"
	"testing"
)

// TestSummarySampled checks the sampled line of summary against objects:
// the shapes program records every allocation in the memory profile, so
// without the executable the objects listed with an allocation site (all
// those of unknown type that were sampled) are at most the sampled
// objects summary counts, and most of the heap.
func TestSummarySampled(t *testing.T) {
	var s struct {
		Objects        int `json:"objects"`
		TypedObjects   int `json:"typed_objects"`
		SampledObjects int `json:"sampled_objects"`
	}
	if err := json.Unmarshal(ok(t, "summary", "--format", "json", shapesDump), &s); err != nil {
		t.Fatal(err)
	}
	withSite := 0
	for _, o := range objectsOf(t, shapesDump) {
		if o.AllocSite != "" {
			withSite++
		}
	}
	if withSite == 0 || withSite > s.SampledObjects || s.SampledObjects > withSite+s.TypedObjects {
		t.Errorf("summary: %d sampled objects (%d typed); objects lists %d untyped ones with an allocation site", s.SampledObjects, s.TypedObjects, withSite)
	}
	if s.SampledObjects*2 < s.Objects {
		t.Errorf("summary: %d of %d objects sampled, want most with MemProfileRate = 1", s.SampledObjects, s.Objects)
	}
}
