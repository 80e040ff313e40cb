"""A real local D1 (Miniflare) as an execution engine."""
