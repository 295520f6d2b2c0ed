//! Feed download tests against a real HTTP server on 127.0.0.1 (a few lines of std::net),
//! so ureq, sockets and timeouts are all the real thing.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::*;

/// What the test server does with one request.
enum Reply {
    /// Send these bytes (a whole HTTP response) and close.
    Send(Vec<u8>),
    /// Keep the connection open and never answer.
    Silence,
}

struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
    /// The request heads received, in order.
    requests: Arc<Mutex<Vec<String>>>,
}

/// Starts a server that answers each request with `reply(n, request_head)`; `n` counts from 1.
fn serve(reply: impl Fn(usize, &str) -> Reply + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hits = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (h, r) = (hits.clone(), requests.clone());
    thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let head = read_head(&mut stream);
            let n = h.fetch_add(1, Ordering::SeqCst) + 1;
            if let Ok(mut list) = r.lock() {
                list.push(head.clone());
            }
            match reply(n, &head) {
                Reply::Send(bytes) => {
                    let _ = stream.write_all(&bytes);
                    let _ = stream.flush();
                }
                Reply::Silence => held.push(stream),
            }
        }
    });
    Server {
        url: format!("http://{addr}/feed.json"),
        hits,
        requests,
    }
}

fn read_head(stream: &mut TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn response(status: &str, headers: &[&str], body: &[u8]) -> Reply {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Send(bytes)
}

fn request(url: &str) -> FeedRequest {
    FeedRequest {
        source: "aa-intergroup".into(),
        url: url.into(),
        // The test server speaks plain http on loopback.
        insecure: true,
        ..FeedRequest::default()
    }
}

fn short_limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_millis(300),
        read_timeout: Duration::from_millis(300),
        max_bytes: 1_000,
        retries: 2,
        backoff: Duration::from_millis(10),
    }
}

#[test]
fn ok_answer_gives_the_body_and_its_validators() {
    let server = serve(|_, _| {
        response(
            "200 OK",
            &[
                "ETag: \"v1\"",
                "Last-Modified: Sun, 22 Nov 2026 10:00:00 GMT",
            ],
            b"[{\"name\":\"Hope\"}]",
        )
    });
    let got = fetch(&request(&server.url), &short_limits()).expect("fetched");
    assert_eq!(
        got,
        Fetched::Body {
            bytes: b"[{\"name\":\"Hope\"}]".to_vec(),
            etag: "\"v1\"".into(),
            last_modified: "Sun, 22 Nov 2026 10:00:00 GMT".into(),
        }
    );
}

#[test]
fn known_validators_are_sent_and_304_means_not_modified() {
    let server = serve(|_, head| {
        let lower = head.to_ascii_lowercase();
        if lower.contains("if-none-match: \"v1\"") {
            response("304 Not Modified", &["ETag: \"v1\""], b"")
        } else {
            response("200 OK", &["ETag: \"v1\""], b"[]")
        }
    });
    let limits = short_limits();
    let mut req = request(&server.url);
    let Fetched::Body { etag, .. } = fetch(&req, &limits).expect("first") else {
        panic!("first fetch should bring a body");
    };
    req.etag = etag;
    req.last_modified = "Sun, 22 Nov 2026 10:00:00 GMT".into();
    assert_eq!(fetch(&req, &limits).expect("second"), Fetched::NotModified);
    let requests = server.requests.lock().expect("lock").clone();
    assert_eq!(requests.len(), 2);
    let second = requests[1].to_ascii_lowercase();
    assert!(second.contains("if-none-match: \"v1\""), "{second}");
    assert!(
        second.contains("if-modified-since: sun, 22 nov 2026 10:00:00 gmt"),
        "{second}"
    );
    assert!(!requests[0].to_ascii_lowercase().contains("if-none-match"));
}

#[test]
fn server_error_is_retried_then_reported_with_the_attempts() {
    let server = serve(|_, _| response("500 Internal Server Error", &[], b"oops"));
    let err = fetch(&request(&server.url), &short_limits()).expect_err("fails");
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        3,
        "first try + 2 retries"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "feed aa-intergroup ({}): server answered 500 Internal Server Error after 3 \
             attempts; keeping the last good schedule",
            server.url
        )
    );
}

#[test]
fn server_error_that_passes_is_retried_successfully() {
    let server = serve(|n, _| {
        if n == 1 {
            response("503 Service Unavailable", &[], b"")
        } else {
            response("200 OK", &[], b"[]")
        }
    });
    let got = fetch(&request(&server.url), &short_limits()).expect("second try works");
    assert!(matches!(got, Fetched::Body { .. }));
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn client_error_is_not_retried() {
    let server = serve(|_, _| response("404 Not Found", &[], b"no"));
    let err = fetch(&request(&server.url), &short_limits()).expect_err("fails");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    let msg = err.to_string();
    assert!(
        msg.contains("server answered 404 Not Found (not retried"),
        "{msg}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_within_the_limit() {
    let server = serve(|_, _| Reply::Silence);
    let limits = Limits {
        retries: 1,
        ..short_limits()
    };
    let start = Instant::now();
    let err = fetch(&request(&server.url), &limits).expect_err("times out");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        2,
        "timeouts are retried"
    );
    assert!(
        matches!(err.problem, Problem::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("did not answer completely within 0.3 s after 2 attempts"),
        "{msg}"
    );
}

#[test]
fn a_body_over_the_cap_is_refused() {
    let server = serve(|_, _| response("200 OK", &[], &[b'x'; 5_000]));
    let err = fetch(&request(&server.url), &short_limits()).expect_err("too big");
    assert_eq!(err.problem, Problem::TooLarge { max: 1_000 });
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "not retried");
    assert!(err.to_string().contains("larger than 1000 bytes"), "{err}");
}

#[test]
fn a_body_over_the_cap_without_length_is_refused_while_reading() {
    let server = serve(|_, _| {
        let mut bytes = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
        bytes.extend_from_slice(&[b'x'; 5_000]);
        Reply::Send(bytes)
    });
    let err = fetch(&request(&server.url), &short_limits()).expect_err("too big");
    assert_eq!(err.problem, Problem::TooLarge { max: 1_000 });
}

#[test]
fn a_body_of_exactly_the_cap_is_accepted() {
    let server = serve(|_, _| response("200 OK", &[], &[b'x'; 1_000]));
    let got = fetch(&request(&server.url), &short_limits()).expect("fits");
    let Fetched::Body { bytes, .. } = got else {
        panic!("expected a body");
    };
    assert_eq!(bytes.len(), 1_000);
}

#[test]
fn plain_http_is_refused_without_connecting_unless_insecure() {
    let server = serve(|_, _| response("200 OK", &[], b"[]"));
    let req = FeedRequest {
        insecure: false,
        ..request(&server.url)
    };
    let err = fetch(&req, &short_limits()).expect_err("refused");
    assert_eq!(err.problem, Problem::PlainHttp);
    let msg = err.to_string();
    assert!(msg.contains("use the https:// address"), "{msg}");
    assert!(msg.contains("set insecure = true for this source"), "{msg}");
    // Give a stray connection time to show up before counting.
    thread::sleep(Duration::from_millis(50));
    assert_eq!(server.hits.load(Ordering::SeqCst), 0);
}

#[test]
fn an_address_that_is_not_http_is_refused() {
    let err = fetch(&request("ftp://example.org/feed"), &short_limits()).expect_err("refused");
    assert!(matches!(err.problem, Problem::BadUrl { .. }), "{err:?}");
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    // Bind and drop to get a port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let err = fetch(
        &request(&format!("http://127.0.0.1:{port}/feed")),
        &short_limits(),
    )
    .expect_err("refused");
    let msg = err.to_string();
    assert!(msg.contains("after 3 attempts"), "{msg}");
    assert!(msg.ends_with("keeping the last good schedule"), "{msg}");
}

#[test]
fn defaults_are_the_documented_ones() {
    let d = Limits::default();
    assert_eq!(d.connect_timeout, Duration::from_secs(10));
    assert_eq!(d.read_timeout, Duration::from_secs(30));
    assert_eq!(d.max_bytes, 64_000_000);
    assert_eq!(d.retries + 1, 3);
    assert_eq!(d.backoff, Duration::from_secs(1));
}
