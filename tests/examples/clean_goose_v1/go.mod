module example.com/shop

go 1.21

require (
	bitbucket.org/liamstask/goose v0.0.0-20150115234039-8488cc47d90c
	github.com/mattn/go-sqlite3 v1.14.22
)
