// The sockwave chat client. Every server event is a JSON object (see cli/README.md, "Chat protocol");
// user text is only ever put in the page with textContent, never parsed as HTML.
"use strict";

(function () {
  const MAX_ENTRIES = 500;
  const FIRST_DELAY_MS = 500;
  const MAX_DELAY_MS = 30000;

  const status = document.getElementById("status");
  const count = document.getElementById("count");
  const identity = document.getElementById("identity");
  const me = document.getElementById("me");
  const log = document.getElementById("log");
  const composer = document.getElementById("composer");
  const input = document.getElementById("text");
  const send = document.getElementById("send");

  let socket = null;
  let myName = null;
  let delay = FIRST_DELAY_MS;
  let retryTimer = null;
  let countdownTimer = null;

  // The page's own ?name= (if any) is passed on to the room, which checks it.
  function chatUrl() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const name = new URLSearchParams(location.search).get("name");
    return scheme + "//" + location.host + "/chat" + (name ? "?name=" + encodeURIComponent(name) : "");
  }

  function setState(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    const open = state === "open";
    input.disabled = !open;
    send.disabled = !open;
  }

  function append(entry) {
    log.appendChild(entry);
    while (log.children.length > MAX_ENTRIES) {
      log.removeChild(log.firstChild);
    }
    entry.scrollIntoView({block: "end"});
  }

  function notice(text) {
    const li = document.createElement("li");
    li.className = "notice";
    li.textContent = text;
    append(li);
  }

  function message(from, text) {
    const li = document.createElement("li");
    li.className = from === myName ? "message mine" : "message";
    const who = document.createElement("span");
    who.className = "from";
    who.textContent = from;
    const what = document.createElement("span");
    what.className = "text";
    what.textContent = text;
    li.append(who, what);
    append(li);
  }

  function onEvent(event) {
    if (typeof event.count === "number") {
      count.textContent = String(event.count);
    }
    switch (event.type) {
      case "welcome":
        myName = event.you;
        me.textContent = myName;
        identity.hidden = false;
        break;
      case "join":
        notice(event.name + " joined");
        break;
      case "leave":
        notice(event.name + " left");
        break;
      case "message":
        message(event.from, event.text);
        break;
      default:
        // Newer servers may send more kinds; this page ignores what it does not know.
    }
  }

  function connect() {
    retryTimer = null;
    setState("connecting", "connecting…");
    socket = new WebSocket(chatUrl());
    socket.onopen = function () {
      delay = FIRST_DELAY_MS;
      setState("open", "connected");
    };
    socket.onmessage = function (e) {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      onEvent(event);
    };
    socket.onclose = function (e) {
      socket = null;
      const why = e.code === 1001 ? "server went away" : "disconnected (" + e.code + ")";
      scheduleReconnect(why);
    };
  }

  // Exponential backoff with jitter, so a restarted server is not hit by every page at once.
  function scheduleReconnect(why) {
    const wait = Math.round(delay * (0.5 + Math.random() / 2));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    let left = Math.ceil(wait / 1000);
    const show = function () {
      setState("closed", why + ", retrying in " + left + " s");
      left -= 1;
    };
    show();
    clearInterval(countdownTimer);
    countdownTimer = setInterval(show, 1000);
    retryTimer = setTimeout(function () {
      clearInterval(countdownTimer);
      connect();
    }, wait);
  }

  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    const text = input.value;
    if (text.trim() === "" || socket === null || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    socket.send(text);
    input.value = "";
    input.focus();
  });

  window.addEventListener("online", function () {
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      clearInterval(countdownTimer);
      connect();
    }
  });

  connect();
})();
