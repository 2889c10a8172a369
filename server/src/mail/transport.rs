//! How a rendered email leaves the process: SMTP through lettre, or (with no
//! `ACCORD_SMTP_URL`, i.e. development) a log line naming the recipient id,
//! the kind and the hearing — never the text.
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use uuid::Uuid;

use super::Notice;
use super::render::Rendered;
use crate::config::Config;
use crate::error::{AppError, AppResult};

/// The longest a whole SMTP exchange may take (connect to the server's last
/// reply), well within the worker's lease so that the `SENT` mark fits in it
/// after: a message is never sent by two replicas at once.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

pub enum Mailer {
    /// `smtp://host:25` (plain), `smtp://host:587?tls=required` (STARTTLS),
    /// `smtp://…?tls=opportunistic`, `smtps://user:pass@host:465` (implicit
    /// TLS); rustls with the platform's root certificates.
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// Development: logs instead of sending.
    Log,
}

/// Why a message was not sent, as a class that is safe to log (never the
/// server's reply text, which may quote the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// The recipient's address cannot be used; retrying will not help.
    BadAddress,
    /// The message could not be built; retrying will not help.
    BadMessage,
    /// The server answered 4xx.
    Transient,
    /// The server answered 5xx.
    Permanent,
    Timeout,
    Tls,
    /// Connection refused, reset, or an unreadable reply.
    Connection,
}

impl SendError {
    pub fn class(self) -> &'static str {
        match self {
            SendError::BadAddress => "bad_address",
            SendError::BadMessage => "bad_message",
            SendError::Transient => "smtp_transient",
            SendError::Permanent => "smtp_permanent",
            SendError::Timeout => "timeout",
            SendError::Tls => "tls",
            SendError::Connection => "connection",
        }
    }

    /// Whether a later attempt could succeed.
    pub fn is_retryable(self) -> bool {
        !matches!(self, SendError::BadAddress | SendError::BadMessage)
    }

    fn from_smtp(e: &lettre::transport::smtp::Error) -> Self {
        if e.is_timeout() {
            SendError::Timeout
        } else if e.is_tls() {
            SendError::Tls
        } else if e.is_transient() {
            SendError::Transient
        } else if e.is_permanent() {
            SendError::Permanent
        } else {
            SendError::Connection
        }
    }
}

impl Mailer {
    /// SMTP when `smtp_url` is set, else the log sink. A malformed URL or
    /// sender address is an error here, at start-up, not at the first send.
    pub fn from_config(config: &Config) -> AppResult<Self> {
        let Some(url) = &config.smtp_url else {
            return Ok(Mailer::Log);
        };
        let transport = Box::new(
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|_| {
                AppError::internal(
                    "ACCORD_SMTP_URL is not a usable SMTP URL (smtp://host:port, smtps://user:pass@host:465, smtp://host:587?tls=required)",
                )
            })?
            .timeout(Some(SMTP_TIMEOUT))
            .build(),
        );
        let from = config
            .smtp_from
            .parse::<Mailbox>()
            .map_err(|_| AppError::internal("ACCORD_SMTP_FROM is not a valid address"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    /// Sends one message to `to`. `id` (the outbox row's) becomes the
    /// Message-ID, so a resend after a crash is recognisably the same
    /// message; `recipient` and `notice` are for the log.
    pub async fn send(
        &self,
        id: Uuid,
        recipient: Uuid,
        to: &str,
        notice: &Notice,
        email: &Rendered,
    ) -> Result<(), SendError> {
        match self {
            Mailer::Log => {
                tracing::info!(
                    outbox = %id,
                    recipient = %recipient,
                    kind = notice.kind(),
                    about = %notice.subject(),
                    "email (development: logged, not sent)"
                );
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let to = to.parse::<Mailbox>().map_err(|_| SendError::BadAddress)?;
                let message = Message::builder()
                    .message_id(Some(format!("<{id}@{}>", from.email.domain())))
                    .from(from.clone())
                    .to(to)
                    .subject(email.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentLanguage(email.lang.tag()))
                    .body(email.body.clone())
                    .map_err(|_| SendError::BadMessage)?;
                // lettre bounds each command by the timeout; this bounds the
                // exchange as a whole.
                match tokio::time::timeout(SMTP_TIMEOUT, transport.send(message)).await {
                    Ok(sent) => sent.map(|_| ()).map_err(|e| SendError::from_smtp(&e)),
                    Err(_) => Err(SendError::Timeout),
                }
            }
        }
    }
}

/// `Content-Language`: the recipient's language the text is written in (a
/// plain-text message has no `<html lang>` to say it).
#[derive(Clone, Debug, PartialEq, Eq)]
struct ContentLanguage(&'static str);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        crate::i18n::Lang::parse(s)
            .map(|l| ContentLanguage(l.tag()))
            .ok_or_else(|| "not a language Accord has".into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailer(url: Option<&str>) -> AppResult<Mailer> {
        Mailer::from_config(&Config {
            smtp_url: url.map(Into::into),
            ..Config::default()
        })
    }

    #[test]
    fn the_url_chooses_transport_and_tls() {
        assert!(matches!(mailer(None), Ok(Mailer::Log)));
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.org:587?tls=required",
            "smtp://mail.example.org?tls=opportunistic",
            "smtps://user:p%40ss@mail.example.org:465",
        ] {
            assert!(
                matches!(mailer(Some(url)), Ok(Mailer::Smtp { .. })),
                "{url}"
            );
        }
        for url in [
            "http://mail.example.org",
            "smtp://mail.example.org?tls=sometimes",
            "not a url",
        ] {
            assert!(mailer(Some(url)).is_err(), "{url}");
        }
    }
}
