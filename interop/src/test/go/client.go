package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// client connects, prints "open PROTOCOL|- EXTENSIONS|-", then runs the commands of its standard input (send
// text|binary SIZE LITERAL|- ; utf8fragments B64... ; binaryfragments B64... ; ping PAYLOAD ; close CODE REASON)
// and prints what arrives (text|binary LENGTH SHA256 ; pong PAYLOAD ; closed CODE REASON ; error MESSAGE) until its
// input ends.
func client(args []string) {
	url, offered, deflate, ca := args[0], args[1], args[2], args[4]
	dialer := websocket.Dialer{
		Subprotocols:      protocols(offered),
		EnableCompression: deflate != "NONE",
		HandshakeTimeout:  30 * time.Second,
		WriteBufferSize:   writeBufferSize,
	}
	if ca != "-" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			panic(err)
		}
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		dialer.TLSClientConfig = &tls.Config{RootCAs: roots}
	}
	conn, response, err := dialer.Dial(url, nil)
	if err != nil {
		out("error", b64([]byte(err.Error())))
		os.Exit(1)
	}
	out("open", orDash(conn.Subprotocol()), orDash(response.Header.Get("Sec-WebSocket-Extensions")))
	conn.SetPongHandler(func(payload string) error {
		out("pong", payload)
		return nil
	})
	go report(conn)

	input := bufio.NewScanner(os.Stdin)
	input.Buffer(make([]byte, 1<<20), 1<<20)
	for input.Scan() {
		if err := command(conn, strings.Split(input.Text(), "\t")); err != nil {
			out("error", b64([]byte(err.Error())))
		}
	}
	conn.Close()
	os.Exit(0)
}

// report prints each message as it arrives, and how the connection closed.
func report(conn *websocket.Conn) {
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			var closed *websocket.CloseError
			if errors.As(err, &closed) {
				out("closed", closed.Code, b64([]byte(closed.Text)))
			} else {
				out("closed", websocket.CloseAbnormalClosure, b64([]byte(err.Error())))
			}
			return
		}
		name := "binary"
		if kind == websocket.TextMessage {
			name = "text"
		}
		out(name, len(data), digest(data))
	}
}

func command(conn *websocket.Conn, fields []string) error {
	deadline := time.Now().Add(10 * time.Second)
	switch fields[0] {
	case "send":
		text := fields[1] == "text"
		size, _ := strconv.Atoi(fields[2])
		data := generate(text, size)
		if fields[3] != "-" {
			data = unb64(fields[3])
		}
		kind := websocket.BinaryMessage
		if text {
			kind = websocket.TextMessage
		}
		return conn.WriteMessage(kind, data)
	case "utf8fragments", "binaryfragments":
		kind := websocket.BinaryMessage
		if fields[0] == "utf8fragments" {
			kind = websocket.TextMessage
		}
		// gorilla frames what is written where its write buffer fills, not at each Write.
		writer, err := conn.NextWriter(kind)
		if err != nil {
			return err
		}
		for _, piece := range fields[1:] {
			if _, err := writer.Write(unb64(piece)); err != nil {
				return err
			}
		}
		return writer.Close()
	case "ping":
		return conn.WriteControl(websocket.PingMessage, []byte(fields[1]), deadline)
	case "close":
		code, _ := strconv.Atoi(fields[1])
		return conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, string(unb64(fields[2]))),
			deadline)
	}
	return errors.New("unknown command " + fields[0])
}

func orDash(value string) string {
	if value == "" {
		return "-"
	}
	return value
}
