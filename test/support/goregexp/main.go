// Differential oracle for src/providers/shared/go-regexp.ts: reads JSON lines
// {"pattern","input","template"} and writes {"ok","match","replaced"} (regexp.Compile, MatchString,
// ReplaceAllString), the calls ESO makes for find.name.regexp and rewrite.regexp.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type query struct {
	Pattern  string `json:"pattern"`
	Input    string `json:"input"`
	Template string `json:"template"`
}

type answer struct {
	OK       bool   `json:"ok"`
	Match    bool   `json:"match"`
	Replaced string `json:"replaced"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			panic(err)
		}
		re, err := regexp.Compile(q.Pattern)
		if err != nil {
			_ = enc.Encode(answer{})
			continue
		}
		_ = enc.Encode(answer{OK: true, Match: re.MatchString(q.Input), Replaced: re.ReplaceAllString(q.Input, q.Template)})
	}
	out.Flush()
}
