//! A small real SMTP server on a socket, for the email tests: the server under
//! test talks to it over TCP exactly as to a production relay. It speaks
//! enough of RFC 5321 for lettre (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
//! QUIT), keeps what arrives, and can be stopped (connections refused) and
//! restarted on the same port.
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One message as delivered: envelope and raw DATA (dot-unstuffed).
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    /// A header's value (unfolded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut()
                && line.starts_with([' ', '\t'])
            {
                v.push_str(line);
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }

    pub fn subject(&self) -> String {
        self.header("Subject").expect("a Subject header")
    }

    /// The body, decoded from its transfer encoding.
    pub fn body(&self) -> String {
        let raw = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or("");
        match self
            .header("Content-Transfer-Encoding")
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("base64") => {
                let compact: String = raw.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(compact)
                        .expect("base64 body"),
                )
                .expect("UTF-8 body")
            }
            Some("quoted-printable") => decode_quoted_printable(raw),
            _ => raw.to_owned(),
        }
        .replace("\r\n", "\n")
    }
}

fn decode_quoted_printable(raw: &str) -> String {
    let mut out = Vec::new();
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("QP escape"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 body")
}

type Inbox = Arc<Mutex<Vec<Received>>>;

pub struct SmtpServer {
    port: u16,
    inbox: Inbox,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl SmtpServer {
    /// Listens on a free port of 127.0.0.1.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().expect("addr").port();
        let inbox = Inbox::default();
        let task = tokio::spawn(serve(listener, inbox.clone()));
        SmtpServer {
            port,
            inbox,
            task: Mutex::new(Some(task)),
        }
    }

    /// `smtp://127.0.0.1:<port>` (no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Closes the port and every open session; connecting is then refused.
    pub async fn stop(&self) {
        let task = self.task.lock().expect("lock").take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
        assert!(
            TcpStream::connect(("127.0.0.1", self.port)).await.is_err(),
            "the SMTP port still accepts connections after stop()"
        );
    }

    /// Listens again on the same port, keeping what arrived so far.
    pub async fn restart(&self) {
        self.stop().await;
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind the SMTP port");
        let task = tokio::spawn(serve(listener, self.inbox.clone()));
        *self.task.lock().expect("lock") = Some(task);
    }

    /// Everything delivered so far, in order of arrival.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().expect("lock").clone()
    }

    /// Messages to `address`.
    pub fn messages_to(&self, address: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.recipients.iter().any(|r| r.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits (up to `timeout`) until at least `n` messages have arrived.
    pub async fn wait_for(&self, n: usize, timeout: std::time::Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.messages();
            if got.len() >= n || tokio::time::Instant::now() >= deadline {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Ok(mut task) = self.task.lock()
            && let Some(task) = task.take()
        {
            task.abort();
        }
    }
}

/// Accepts until aborted; aborting drops the listener and, with the
/// `JoinSet`, every session.
async fn serve(listener: TcpListener, inbox: Inbox) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    sessions.spawn(session(stream, inbox.clone()));
                }
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}

async fn session(stream: TcpStream, inbox: Inbox) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 accord-test ESMTP ready\r\n").await?;
    let mut mail_from: Option<String> = None;
    let mut recipients: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']);
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-accord-test\r\n250 8BITMIME\r\n",
            "HELO" => b"250 accord-test\r\n",
            "MAIL" => {
                mail_from = Some(address(command));
                recipients.clear();
                b"250 OK\r\n"
            }
            "RCPT" if mail_from.is_some() => {
                recipients.push(address(command));
                b"250 OK\r\n"
            }
            "DATA" if !recipients.is_empty() => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                inbox.lock().expect("lock").push(Received {
                    mail_from: mail_from.take().unwrap_or_default(),
                    recipients: std::mem::take(&mut recipients),
                    data,
                });
                b"250 OK queued\r\n"
            }
            "RSET" => {
                mail_from = None;
                recipients.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            "RCPT" | "DATA" => b"503 Bad sequence of commands\r\n",
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// `MAIL FROM:<a@b> SIZE=12` → `a@b`.
fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a.to_owned())
        .unwrap_or_default()
}
