"""Reading a migration set and running its files as its runner does."""
