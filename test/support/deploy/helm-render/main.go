// helm-render renders a Helm chart the way `helm template` does, for tests on machines without helm:
// Go text/template with Sprig (minus env/expandenv), plus Helm's include, tpl, required, toYaml,
// missingkey=zero and "<no value>" stripping. Usage:
//   helm-render CHART_DIR RELEASE NAMESPACE [VALUES_OVERRIDE.json]
// Prints the rendered manifests (non-partial templates, NOTES.txt excluded) as a YAML stream.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: helm-render CHART_DIR RELEASE NAMESPACE [VALUES_OVERRIDE.json]")
		os.Exit(2)
	}
	dir, release, ns := os.Args[1], os.Args[2], os.Args[3]
	values := map[string]interface{}{}
	must(loadYaml(filepath.Join(dir, "values.yaml"), &values))
	if len(os.Args) > 4 {
		raw, err := ioutil.ReadFile(os.Args[4])
		must(err)
		over := map[string]interface{}{}
		must(json.Unmarshal(raw, &over))
		values = merge(values, over)
	}
	chart := map[string]interface{}{}
	must(loadYaml(filepath.Join(dir, "Chart.yaml"), &chart))
	top := map[string]interface{}{
		"Values":  values,
		"Release": map[string]interface{}{"Name": release, "Namespace": ns, "Service": "Helm", "IsInstall": true},
		"Chart":   map[string]interface{}{"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]},
	}
	t := template.New("chart").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = func(v interface{}) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf(msg)
		}
		return v, nil
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		c, err := t.Clone()
		if err != nil {
			return "", err
		}
		x, err := c.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = x.Execute(&buf, data)
		return buf.String(), err
	}
	t.Funcs(funcs)
	files, err := filepath.Glob(filepath.Join(dir, "templates", "*"))
	must(err)
	sort.Strings(files)
	var names []string
	for _, f := range files {
		body, err := ioutil.ReadFile(f)
		must(err)
		name := "cloak/templates/" + filepath.Base(f)
		_, err = t.New(name).Parse(string(body))
		must(err)
		base := filepath.Base(f)
		if !strings.HasPrefix(base, "_") && base != "NOTES.txt" {
			names = append(names, name)
		}
	}
	for _, n := range names {
		var buf bytes.Buffer
		must(t.ExecuteTemplate(&buf, n, top))
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(out) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", n, strings.TrimSpace(out))
	}
}

func loadYaml(path string, into *map[string]interface{}) error {
	raw, err := ioutil.ReadFile(path)
	if err != nil {
		return err
	}
	var v interface{}
	if err := yaml.Unmarshal(raw, &v); err != nil {
		return err
	}
	m, _ := normalize(v).(map[string]interface{})
	if m != nil {
		*into = m
	}
	return nil
}

// normalize turns yaml.v2's map[interface{}]interface{} into map[string]interface{} recursively.
func normalize(v interface{}) interface{} {
	switch x := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []interface{}:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	}
	return v
}

func merge(base, over map[string]interface{}) map[string]interface{} {
	for k, v := range over {
		if bm, ok := base[k].(map[string]interface{}); ok {
			if om, ok := v.(map[string]interface{}); ok {
				base[k] = merge(bm, om)
				continue
			}
		}
		base[k] = v
	}
	return base
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(1)
	}
}
