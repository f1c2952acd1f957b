// Interop matrix: gorilla/websocket (Debian's golang-github-gorilla-websocket-dev) as a client driven by the test
// (ScriptedClient) or as a commanded echo server (ScriptedServer), speaking the same lines as the ws and
// python-websockets peers (see src/test/node/matrix_client.js and matrix_server.js).
//
// Usage: gorilla-peer client URL SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CA_PEM|-
//
//	gorilla-peer server SUBPROTOCOLS|- NONE|DEFAULT|NO_CONTEXT_TAKEOVER|SMALLEST_WINDOW BITS CERT_PEM|- KEY_PEM|-
//
// gorilla has one permessage-deflate setting, on or off (always with no context takeover both ways, and no window
// parameters): every variant but NONE turns it on, and BITS is not used.
package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
)

// writeBufferSize makes gorilla cut every message it sends into frames of this many bytes (its API has no other
// way to send fragments): 1004 = 62 × 16 + 12, so the first cut of FRAGMENTED falls inside U+1F600's UTF-8.
const writeBufferSize = 1004

// fragmented is the Java class Commands' FRAGMENTED_TEXT: 300 × "fragmented 😀 " (16 bytes each).
var fragmented = []byte(strings.Repeat("fragmented \U0001F600 ", 300))

var outLock sync.Mutex

// out prints one tab-separated line for the test.
func out(fields ...interface{}) {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprint(f)
	}
	outLock.Lock()
	defer outLock.Unlock()
	os.Stdout.WriteString(strings.Join(parts, "\t") + "\n")
}

// generate makes the messages every peer of the matrix makes the same way (Payload in the Java tests).
func generate(text bool, size int) []byte {
	bytes := make([]byte, size)
	for i := range bytes {
		if text {
			bytes[i] = byte(97 + i%26)
		} else {
			bytes[i] = byte((i*31 + 7) & 0xff)
		}
	}
	return bytes
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func b64(data []byte) string {
	if len(data) == 0 {
		return "-"
	}
	return base64.StdEncoding.EncodeToString(data)
}

func unb64(field string) []byte {
	if field == "-" {
		return nil
	}
	data, err := base64.StdEncoding.DecodeString(field)
	if err != nil {
		panic(err)
	}
	return data
}

func protocols(field string) []string {
	if field == "-" {
		return nil
	}
	return strings.Split(field, ",")
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gorilla-peer client|server ARGS...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "client":
		client(os.Args[2:])
	case "server":
		server(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "unknown role", os.Args[1])
		os.Exit(2)
	}
}
