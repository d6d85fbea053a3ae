"""Package data of the accounting layer: the factor library and the licence notices that travel with it."""
