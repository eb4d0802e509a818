// Differential oracle for src/providers/shared/gjson.ts: reads JSON lines {"json": "...", "path": "..."}
// from stdin and writes {"exists": bool, "str": "...", "type": "..."} per line (gjson Get().String()).
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/tidwall/gjson"
)

type query struct {
	JSON string `json:"json"`
	Path string `json:"path"`
}

type answer struct {
	Exists bool   `json:"exists"`
	Str    string `json:"str"`
	Type   string `json:"type"`
}

func main() {
	gjson.DisableModifiers = true
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			panic(err)
		}
		r := gjson.Get(q.JSON, q.Path)
		_ = enc.Encode(answer{Exists: r.Exists(), Str: r.String(), Type: r.Type.String()})
	}
	out.Flush()
}
