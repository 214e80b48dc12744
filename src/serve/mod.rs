//! `dangan serve`: the archive on a local web page and a JSON API, read-only.
//!
//! A front end like the CLI: async only at the HTTP edge (axum on tokio); every search
//! runs on tokio's blocking pool against one shared [`Searcher`], whose reader reloads by
//! itself when `dangan index` commits (tantivy watches the index's meta file). Documents
//! are addressed by id ([`crate::index::sync::document_id`]), never by a path from the
//! request; every document string is escaped by the templates; each response carries a
//! Content-Security-Policy that runs no inline script. Queries, `n`, bodies and headers are
//! capped and every request has a time limit.

mod api;
pub mod auth;
mod files;
mod pages;
pub mod params;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::index::IndexError;
use crate::index::search::Searcher;
pub use auth::Login;

/// Most bytes of all request headers together; more is a 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Most bytes of a request body (only the login form has one).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// How long one request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// How the server is reached and who may use it.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index to serve.
    pub index: PathBuf,
    /// Where to listen (`127.0.0.1:8940` by default).
    pub listen: SocketAddr,
    /// The login, when a password file was given; `None` serves everyone who can connect.
    pub login: Option<Login>,
    /// Keep the index's roots in step (`--watch`), syncing at least this often.
    pub watch: Option<Duration>,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is reachable from other machines and neither a password file nor
    /// `--no-password` was given.
    #[error(
        "{0} is reachable from other machines: pass --password-file FILE (users log in once) or --no-password to serve without one"
    )]
    NeedsPasswordChoice(SocketAddr),
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The address could not be bound (in use, not this machine's, not permitted).
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why binding it failed.
        source: std::io::Error,
    },
    /// `--watch` on an index that has no crawled roots to watch.
    #[error("--watch: the index at {0} has no folders yet: run `dangan index DIR` first")]
    NothingToWatch(PathBuf),
    /// The runtime could not start, or the server failed while serving.
    #[error("the web server stopped: {0}")]
    Server(std::io::Error),
}

/// What every handler shares.
pub struct AppState {
    /// The index directory.
    pub dir: PathBuf,
    /// The searcher over it (reloads on commits).
    pub searcher: Searcher,
    /// The login, if one is asked for.
    pub login: Option<Login>,
    /// The watcher's news, with `--watch`.
    pub watch: Option<Arc<watch::WatchState>>,
    /// Library calls running at once: one per core. More only share the cores and
    /// stretch the slowest answers; waiting ones are served first come, first served.
    pub permits: tokio::sync::Semaphore,
}

/// One library call per core at a time.
fn permits() -> tokio::sync::Semaphore {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// The shared state handlers get.
pub type Shared = Arc<AppState>;

/// Refuses a listen address reachable from other machines unless the caller chose about
/// passwords (`password_chosen`: a password file or an explicit no-password).
pub fn check_listen(addr: SocketAddr, password_chosen: bool) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || password_chosen {
        Ok(())
    } else {
        Err(ServeError::NeedsPasswordChoice(addr))
    }
}

/// The state for serving the index at `dir`.
pub fn state(dir: &Path, login: Option<Login>) -> Result<Shared, IndexError> {
    app_state(dir, login).map(Arc::new)
}

fn app_state(dir: &Path, login: Option<Login>) -> Result<AppState, IndexError> {
    Ok(AppState {
        dir: dir.to_path_buf(),
        searcher: Searcher::open(dir)?,
        login,
        watch: None,
        permits: permits(),
    })
}

/// Every route, with the limits, the login check and the security headers.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/doc/{id}", get(pages::document))
        .route("/file/{id}", get(files::original))
        .route("/years", get(pages::years))
        .route("/list", get(pages::list))
        .route("/series", get(pages::series))
        .route("/status", get(pages::status))
        .route("/api/search", get(api::search))
        .route("/api/doc/{id}", get(api::document))
        .route("/api/list", get(api::list))
        .route("/api/years", get(api::years))
        .route("/api/series", get(api::series))
        .route("/api/status", get(api::status))
        .route("/style.css", get(pages::style))
        .route("/login", get(pages::login_form).post(pages::login))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), require_login))
        .layer(middleware::from_fn(security_headers))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(limit_headers))
        .with_state(state)
}

/// Serves until Ctrl-C. Blocks the calling thread on a tokio runtime of its own; with
/// `watch`, a background thread keeps the index's roots in step meanwhile.
pub fn run(options: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let mut app = app_state(&options.index, options.login)?;
    let mut watcher = None;
    if let Some(poll) = options.watch {
        let state = crate::index::sync::SyncState::load(&options.index);
        let roots: Vec<PathBuf> = state
            .roots
            .keys()
            .map(|key| crate::index::sync::path_of_key(key))
            .collect();
        if roots.is_empty() {
            return Err(ServeError::NothingToWatch(options.index));
        }
        let news = Arc::new(watch::WatchState::default());
        watcher = Some((
            watch::spawn(options.index.clone(), roots, poll, news.clone()),
            news.clone(),
        ));
        app.watch = Some(news);
    }
    let state = Arc::new(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| ServeError::Listen {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Server)?;
        ready(addr);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(ServeError::Server)
    });
    if let Some((thread, news)) = watcher {
        news.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = thread.join();
    }
    served
}

/// Runs a blocking library call on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Result<T, Response> {
    let internal = |e: &dyn std::fmt::Display| {
        api::error(StatusCode::INTERNAL_SERVER_ERROR, &format!("internal error: {e}"))
    };
    let _permit = state.permits.acquire().await.map_err(|e| internal(&e))?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|e| internal(&e))
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        api::error(StatusCode::NOT_FOUND, "no such API route")
    } else {
        pages::not_found().into_response()
    }
}

/// Oversized headers are a 431 before anything else looks at them.
async fn limit_headers(request: Request, next: Next) -> Response {
    let bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum::<usize>()
        + request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if bytes > MAX_HEADER_BYTES {
        return (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"error":"request headers too large"}"#,
        )
            .into_response();
    }
    next.run(request).await
}

/// A server with a password admits the login page and its style sheet, and requests
/// with the session cookie; pages send others to the login, the API answers 401.
async fn require_login(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let Some(login) = &state.login else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/login" || path == "/style.css" {
        return next.run(request).await;
    }
    let cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    if login.admits(Some(&cookie)) {
        return next.run(request).await;
    }
    if path.starts_with("/api/") {
        api::error(StatusCode::UNAUTHORIZED, "log in first: open / in a browser")
    } else {
        Redirect::to("/login").into_response()
    }
}

/// No script but our own files, no framing, no sniffing, no referrer to other sites.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    response
}

/// A document id from its 16 hex digits; anything else names no document.
pub(crate) fn parse_id(text: &str) -> Option<u64> {
    if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(text, 16).ok()
}

/// A document id as 16 hex digits.
pub fn format_id(id: u64) -> String {
    format!("{id:016x}")
}
