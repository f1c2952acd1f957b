// The sockwave chat client. Every server event is a JSON object (see cli/README.md, "Chat protocol");
// user text is only ever put in the page with textContent, never parsed as HTML.
"use strict";

(function () {
  const MAX_ENTRIES = 500;
  const FIRST_DELAY_MS = 500;
  const MAX_DELAY_MS = 30000;
  // Retries of a name held on another node (1013, "... on another node ..."): that node may have stopped, and then
  // the name is free in the seconds the server says, but a live holder keeps it, and the server cannot tell the two
  // apart. A name this page never had is most likely another person's: one retry, for the case its holder stopped.
  // This page's own name, on a reconnect, may be held by its previous connection, on a node that stopped or gone
  // without a word (that node's keepalive ends it within a minute): retries for about two minutes.
  const NAME_RETRIES_NEW = 1;
  const NAME_RETRIES_OWN = 8;

  const status = document.getElementById("status");
  const count = document.getElementById("count");
  const identity = document.getElementById("identity");
  const me = document.getElementById("me");
  const roomName = document.getElementById("room");
  const log = document.getElementById("log");
  const composer = document.getElementById("composer");
  const input = document.getElementById("text");
  const send = document.getElementById("send");

  let socket = null;
  let myName = null;
  // The offset of the last event received: a reconnect resumes right after it, on whichever node it reaches.
  let since = null;
  // Ids of the messages this page sent: its own messages are marked by id, not by name.
  const sentIds = new Set();
  const pageId = Math.random().toString(36).slice(2, 10);
  let sent = 0;
  let delay = FIRST_DELAY_MS;
  let retryTimer = null;
  let lostBecause = null;
  let countdownTimer = null;
  let nameRetries = 0;

  // The page's own ?room= and ?name= (if any) are passed on to the server, which checks them.
  function chatUrl() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const page = new URLSearchParams(location.search);
    const room = page.get("room");
    const query = new URLSearchParams();
    const name = myName || page.get("name");
    if (name) {
      query.set("name", name);
    }
    if (since !== null) {
      query.set("since", since);
    }
    const path = "/chat" + (room ? "/" + encodeURIComponent(room) : "");
    const q = query.toString();
    return scheme + "//" + location.host + path + (q ? "?" + q : "");
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

  function message(from, text, id) {
    const li = document.createElement("li");
    li.className = id !== undefined && sentIds.has(id) ? "message mine" : "message";
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
    if (event.type !== "welcome" && event.type !== "ack" && typeof event.offset === "string") {
      since = event.offset;
    }
    switch (event.type) {
      case "welcome":
        // in the room: a refusal of the name is counted afresh (the socket opens before the join is answered)
        nameRetries = 0;
        myName = event.you;
        me.textContent = myName;
        roomName.textContent = event.room;
        identity.hidden = false;
        if (since === null) {
          since = event.offset;
        }
        break;
      case "reset": {
        const li = document.createElement("li");
        li.className = "notice reset";
        li.textContent = "Some history could not be recovered: " + event.reason;
        append(li);
        break;
      }
      case "refused":
        notice("not sent: " + event.reason);
        break;
      case "join":
        notice(event.name + " joined");
        break;
      case "leave":
        notice(event.name + " left");
        break;
      case "message":
        message(event.from, event.text, event.id);
        break;
      default:
        // Newer servers may send more kinds; this page ignores what it does not know.
    }
  }

  function connect() {
    retryTimer = null;
    setState("connecting", "connecting…");
    socket = new WebSocket(chatUrl());
    let opened = false;
    socket.onopen = function () {
      opened = true;
      lostBecause = null;
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
      if (myName === null && (e.code === 1008 || e.code === 1013 && e.reason.indexOf(" is taken in this room") >= 0)) {
        // refused before ever joining, for a reason a retry cannot change (a name taken, say): say why and stop.
        // Later, a taken name is most likely this page's own previous connection, not yet gone (the server says
        // when the keepalive frees it, with 1013): retry.
        setState("closed", "refused: " + e.reason);
        return;
      }
      if (e.code === 1013 && e.reason.indexOf(" on another node") >= 0) {
        if (nameRetries >= (myName === null ? NAME_RETRIES_NEW : NAME_RETRIES_OWN)) {
          setState("closed", "refused: " + e.reason);
          return;
        }
        nameRetries += 1;
        const free = /free in (\d+) s/.exec(e.reason);
        lostBecause = e.reason;
        scheduleReconnect(e.reason, free !== null ? Number(free[1]) * 1000 : null);
        return;
      }
      // A retry that could not connect keeps saying why the connection was lost in the first place.
      const why = !opened && lostBecause !== null ? lostBecause
          : e.code === 1001 || e.code === 1012 ? "server went away" : "disconnected (" + e.code + ")";
      lostBecause = why;
      scheduleReconnect(why);
    };
  }

  // Exponential backoff with jitter, so a restarted server is not hit by every page at once; or the wait the server
  // said, if any.
  function scheduleReconnect(why, said) {
    let wait = said;
    if (typeof said !== "number") {
      wait = Math.round(delay * (0.5 + Math.random() / 2));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
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
    sent += 1;
    const id = pageId + "-" + sent;
    sentIds.add(id);
    socket.send(JSON.stringify({id: id, text: text}));
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
