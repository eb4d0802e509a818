// Differential-test oracle: renders many Go text/template cases with real Go + Sprig (and ESO's
// pure-Go helpers re-implemented from its source) and prints the results as JSON.
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o oracle .
package main

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"golang.org/x/crypto/bcrypt"
	yaml "gopkg.in/yaml.v2"
)

type testCase struct {
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	Funcs      string          `json:"funcs"`
	MissingKey string          `json:"missingKey"`
	LeftDelim  string          `json:"leftDelim"`
	RightDelim string          `json:"rightDelim"`
	// Verify: check a bcrypt hash (Template) against a password (Data as a JSON string).
	Verify string `json:"verify"`
}

type result struct {
	Out string `json:"out"` // base64 of the output bytes
	Err string `json:"err,omitempty"`
}

// ---- ESO helpers (sigs.k8s.io/yaml semantics on yaml.v2; encoding/pem; crypto/x509) ----

func jsonToYAML(j []byte) ([]byte, error) {
	var obj interface{}
	if err := yaml.Unmarshal(j, &obj); err != nil {
		return nil, err
	}
	return yaml.Marshal(obj)
}

func toYAML(v interface{}) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	y, err := jsonToYAML(j)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(y), "\n")
}

func filterPEM(pemType, input string) (string, error) {
	data := []byte(input)
	var blocks []byte
	var block *pem.Block
	var rest []byte
	for {
		block, rest = pem.Decode(data)
		data = rest
		if block == nil {
			break
		}
		if !strings.EqualFold(block.Type, pemType) {
			continue
		}
		var buf bytes.Buffer
		if err := pem.Encode(&buf, block); err != nil {
			return "", err
		}
		blocks = append(blocks, buf.Bytes()...)
	}
	if len(blocks) == 0 && len(rest) != 0 {
		return "", errors.New("error filtering pem: found junk")
	}
	return string(blocks), nil
}

type node struct {
	cert     *x509.Certificate
	parent   *node
	isParent bool
}

func fetchChain(data []byte) ([]*x509.Certificate, error) {
	var nodes []*node
	for {
		block, rest := pem.Decode(data)
		data = rest
		if block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, &node{cert: cert})
	}
	for i := range nodes {
		for j := range nodes {
			if i == j {
				continue
			}
			if bytes.Equal(nodes[i].cert.AuthorityKeyId, nodes[j].cert.SubjectKeyId) {
				nodes[j].isParent = true
				nodes[i].parent = nodes[j]
				break
			}
		}
	}
	var leaf *node
	for i := range nodes {
		if !nodes[i].isParent {
			if leaf != nil {
				return nil, errors.New("found multiple leaf or disjunct certificates")
			}
			leaf = nodes[i]
		}
	}
	if leaf == nil {
		return nil, errors.New("no leaf certificate found")
	}
	var out []*x509.Certificate
	for n := 0; leaf != nil; n++ {
		if n >= len(nodes) {
			return nil, errors.New("constructing chain resulted in cycle")
		}
		out = append(out, leaf.cert)
		leaf = leaf.parent
	}
	return out, nil
}

func isRoot(c *x509.Certificate) bool {
	return c.AuthorityKeyId == nil || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
}

func certPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

func filterCertChain(certType, input string) (string, error) {
	ordered, err := fetchChain([]byte(input))
	if err != nil {
		return "", err
	}
	switch certType {
	case "leaf":
		c := ordered[0]
		if c.AuthorityKeyId != nil && !bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId) {
			return certPEM(c), nil
		}
	case "intermediate":
		if len(ordered) < 2 {
			return "", nil
		}
		var out string
		for _, c := range ordered[1:] {
			if isRoot(c) {
				break
			}
			out += certPEM(c)
		}
		return out, nil
	case "root":
		c := ordered[len(ordered)-1]
		if isRoot(c) {
			return certPEM(c), nil
		}
	}
	return "", nil
}

func rsaDecrypt(scheme, h, in, key string) (string, error) {
	if scheme == "None" {
		return in, nil
	}
	if scheme != "RSA-OAEP" {
		return "", fmt.Errorf("decrypting strategy %v is not supported", scheme)
	}
	block, _ := pem.Decode([]byte(key))
	if block == nil {
		return "", errors.New("failed to decode PEM block")
	}
	var priv *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		priv = k
	} else if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return "", errors.New("not rsa")
		}
		priv = rk
	} else {
		return "", errors.New("unable to parse private key type")
	}
	var hh hash.Hash
	switch h {
	case "SHA1":
		hh = sha1.New()
	case "SHA512":
		hh = sha512.New()
	default:
		hh = sha256.New()
	}
	out, err := rsa.DecryptOAEP(hh, nil, priv, []byte(in), nil)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

var funcCache = map[string]template.FuncMap{}

func funcs(set string) template.FuncMap {
	if m, ok := funcCache[set]; ok {
		return m
	}
	m := buildFuncs(set)
	funcCache[set] = m
	return m
}

func buildFuncs(set string) template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	if set == "eso" {
		m["toYaml"] = toYAML
		m["fromYaml"] = func(s string) map[string]interface{} {
			out := map[string]interface{}{}
			var obj interface{}
			if err := yaml.Unmarshal([]byte(s), &obj); err != nil {
				out["Error"] = err.Error()
				return out
			}
			j, err := json.Marshal(convert(obj))
			if err != nil {
				out["Error"] = err.Error()
				return out
			}
			if err := json.Unmarshal(j, &out); err != nil {
				out = map[string]interface{}{"Error": err.Error()}
			}
			return out
		}
		m["filterPEM"] = filterPEM
		m["filterCertChain"] = filterCertChain
		m["rsaDecrypt"] = rsaDecrypt
	}
	return m
}

// convert turns yaml.v2's map[interface{}]interface{} into JSON-able maps.
func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, val := range x {
			m[fmt.Sprint(k)] = convert(val)
		}
		return m
	case []interface{}:
		for i := range x {
			x[i] = convert(x[i])
		}
		return x
	}
	return v
}

func run(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Err: fmt.Sprint("panic: ", r)}
		}
	}()
	if c.Verify == "bcrypt" {
		var pw string
		_ = json.Unmarshal(c.Data, &pw)
		if err := bcrypt.CompareHashAndPassword([]byte(c.Template), []byte(pw)); err != nil {
			return result{Err: err.Error()}
		}
		return result{}
	}
	t := template.New("t").Funcs(funcs(c.Funcs))
	if c.LeftDelim != "" || c.RightDelim != "" {
		t = t.Delims(c.LeftDelim, c.RightDelim)
	}
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	t, err := t.Parse(c.Template)
	if err != nil {
		return result{Err: err.Error()}
	}
	var data interface{}
	var strs map[string]string
	if len(c.Data) > 0 && json.Unmarshal(c.Data, &strs) == nil {
		data = strs
	} else if len(c.Data) > 0 {
		if err := json.Unmarshal(c.Data, &data); err != nil {
			return result{Err: "bad test data: " + err.Error()}
		}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return result{Out: base64.StdEncoding.EncodeToString(buf.Bytes()), Err: err.Error()}
	}
	return result{Out: base64.StdEncoding.EncodeToString(buf.Bytes())}
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if err := json.Unmarshal(in, &cases); err != nil {
		panic(err)
	}
	out := make([]result, len(cases))
	for i, c := range cases {
		out[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
