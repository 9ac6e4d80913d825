module heapgraph.test/growth

go 1.22

require heapgraph.test/truth v0.0.0

replace heapgraph.test/truth => ../../truth
