package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// server prints "PORT n", then "open PROTOCOL|-" and "closed CODE REASON(base64)" for each connection, and echoes
// every message but the commands of the Java class Commands; it exits when its standard input closes, or after
// 120 s.
func server(args []string) {
	spoken, deflate, cert, key := args[0], args[1], args[3], args[4]
	upgrader := websocket.Upgrader{
		Subprotocols:      protocols(spoken),
		EnableCompression: deflate != "NONE",
		WriteBufferSize:   writeBufferSize,
		CheckOrigin:       func(*http.Request) bool { return true },
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		out("open", orDash(conn.Subprotocol()))
		echo(conn)
	})
	out("PORT", listener.Addr().(*net.TCPAddr).Port)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	time.AfterFunc(120*time.Second, func() { os.Exit(0) })
	if cert == "-" {
		err = http.Serve(listener, handler)
	} else {
		err = http.ServeTLS(listener, handler, cert, key)
	}
	panic(err)
}

// echo answers one connection until it closes. Every write happens here, on the reading goroutine (the pong handler
// runs inside ReadMessage), as gorilla allows one writer at a time.
func echo(conn *websocket.Conn) {
	conn.SetPongHandler(func(payload string) error {
		return conn.WriteMessage(websocket.TextMessage, []byte("!pong "+payload))
	})
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
		text := string(data)
		deadline := time.Now().Add(10 * time.Second)
		switch {
		case kind == websocket.BinaryMessage:
			err = conn.WriteMessage(kind, data)
		case strings.HasPrefix(text, "!ping "):
			err = conn.WriteControl(websocket.PingMessage, data[len("!ping "):], deadline)
		case strings.HasPrefix(text, "!close "):
			codeAndReason := strings.SplitN(text[len("!close "):], " ", 2)
			code, _ := strconv.Atoi(codeAndReason[0])
			err = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, codeAndReason[1]),
				deadline)
		case text == "!fragments":
			err = sendInFrames(conn, websocket.TextMessage, fragmented)
			if err == nil {
				err = sendInFrames(conn, websocket.BinaryMessage, generate(false, 10000))
			}
		default:
			err = conn.WriteMessage(kind, data)
		}
		if err != nil {
			out("error", b64([]byte(err.Error())))
			return
		}
	}
}

// sendInFrames writes a message in pieces no larger than gorilla's write buffer, which it then sends as a frame
// each time the buffer fills (a larger Write would go out whole, in one frame).
func sendInFrames(conn *websocket.Conn, kind int, data []byte) error {
	writer, err := conn.NextWriter(kind)
	if err != nil {
		return err
	}
	for len(data) > 0 {
		n := len(data)
		if n > writeBufferSize {
			n = writeBufferSize
		}
		if _, err := writer.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return writer.Close()
}
