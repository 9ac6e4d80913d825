module heapgraph.test/truth

go 1.22
