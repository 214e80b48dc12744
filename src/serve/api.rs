//! The JSON API: the CLI's answers with the same keys, plus each document's `id`.
//! Errors are JSON too: `{"error": MESSAGE}` with a 4xx or 5xx status.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::params::Params;
use super::{Shared, blocking, format_id, parse_id};
use crate::index::search::{Hit, Listed, SearchPage, StoredDocument};

/// A JSON error response.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    #[derive(Serialize)]
    struct Error<'a> {
        error: &'a str,
    }
    (status, Json(Error { error: message })).into_response()
}

/// The `key=value` pairs of a raw query string, percent-decoded.
pub(crate) fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// One hit: `search --json`'s keys and the id.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub id: String,
    pub path: &'a str,
    pub title: &'a str,
    pub year: Option<i32>,
    pub score: f32,
    pub snippet: &'a str,
    #[serde(flatten)]
    pub official: &'a crate::meta::Official,
    pub copies: &'a [String],
    pub versions: &'a [String],
}

impl<'a> From<&'a Hit> for HitJson<'a> {
    fn from(hit: &'a Hit) -> Self {
        HitJson {
            id: format_id(hit.id),
            path: &hit.path,
            title: &hit.title,
            year: hit.year,
            score: hit.score,
            snippet: &hit.snippet.text,
            official: &hit.official,
            copies: &hit.copies,
            versions: &hit.versions,
        }
    }
}

/// One listed document: `list --json`'s keys and the id.
#[derive(Debug, Serialize)]
pub struct ListedJson<'a> {
    pub id: String,
    pub path: &'a str,
    pub title: &'a str,
    pub year: Option<i32>,
    #[serde(flatten)]
    pub official: &'a crate::meta::Official,
    pub copies: &'a [String],
    pub versions: &'a [String],
}

impl<'a> From<&'a Listed> for ListedJson<'a> {
    fn from(doc: &'a Listed) -> Self {
        ListedJson {
            id: format_id(doc.id),
            path: &doc.path,
            title: &doc.title,
            year: doc.year,
            official: &doc.official,
            copies: &doc.copies,
            versions: &doc.versions,
        }
    }
}

/// A count of one report year (`years --json`'s keys).
#[derive(Debug, Serialize)]
pub struct YearJson {
    pub year: Option<i32>,
    pub count: u64,
}

fn years_json(counts: &[(Option<i32>, u64)]) -> Vec<YearJson> {
    counts
        .iter()
        .map(|&(year, count)| YearJson { year, count })
        .collect()
}

/// A search answered, or the reason as an error response.
pub(crate) async fn run_search(state: &Shared, params: &Params) -> Result<SearchPage, Response> {
    let query = match params.query() {
        Ok(Some(query)) => query,
        Ok(None) => return Err(error(StatusCode::BAD_REQUEST, "a search needs a query: q=…")),
        Err(message) => return Err(error(StatusCode::BAD_REQUEST, &message)),
    };
    let options = params.search_options();
    blocking(state, move |s| s.searcher.search_page(&query, &options))
        .await?
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

/// `/api/search?q=&n=&offset=&sort=` and the filters (`year`, `from`, `to`, `date_from`,
/// `date_to`, `kind` repeatable, `issuer`).
pub async fn search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(&pairs(raw.as_deref())) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let started = std::time::Instant::now();
    let page = match run_search(&state, &params).await {
        Ok(page) => page,
        Err(response) => return response,
    };
    // The server's own time for the search, for load benchmarks (bench/serve.sh).
    let timing = format!("search;dur={:.3}", started.elapsed().as_secs_f64() * 1000.0);
    #[derive(Serialize)]
    struct Answer<'a> {
        total: usize,
        hits: Vec<HitJson<'a>>,
        years: Vec<YearJson>,
    }
    let answer = Json(Answer {
        total: page.total,
        hits: page.hits.iter().map(HitJson::from).collect(),
        years: years_json(&page.years),
    });
    ([("server-timing", timing)], answer).into_response()
}

/// A document by id, or the response that says why not.
pub(crate) async fn find_document(state: &Shared, id: &str) -> Result<StoredDocument, Response> {
    let Some(id) = parse_id(id) else {
        return Err(error(StatusCode::NOT_FOUND, "no such document"));
    };
    match blocking(state, move |s| s.searcher.document(id)).await? {
        Ok(Some(doc)) => Ok(doc),
        Ok(None) => Err(error(StatusCode::NOT_FOUND, "no such document")),
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
    }
}

/// `/api/doc/ID`: the document's fields and its whole text.
pub async fn document(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let doc = match find_document(&state, &id).await {
        Ok(doc) => doc,
        Err(response) => return response,
    };
    #[derive(Serialize)]
    struct Answer<'a> {
        id: String,
        path: &'a str,
        title: &'a str,
        year: Option<i32>,
        year_source: Option<&'a str>,
        #[serde(flatten)]
        official: &'a crate::meta::Official,
        format: &'a str,
        size: u64,
        copies: &'a [String],
        versions: &'a [String],
        text: &'a str,
    }
    Json(Answer {
        id: format_id(doc.id),
        path: &doc.path,
        title: &doc.title,
        year: doc.year,
        year_source: doc.year_source.as_deref(),
        official: &doc.official,
        format: &doc.format,
        size: doc.size,
        copies: &doc.copies,
        versions: &doc.versions,
        text: &doc.text,
    })
    .into_response()
}

/// `/api/list` with the filters (`year`, `from`, `to`, `date_from`, `date_to`, `kind`
/// repeatable, `issuer`).
pub async fn list(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(&pairs(raw.as_deref())) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let filter = params.filter();
    match blocking(&state, move |s| s.searcher.list(&filter)).await {
        Ok(Ok(listed)) => {
            #[derive(Serialize)]
            struct Answer<'a> {
                documents: Vec<ListedJson<'a>>,
            }
            Json(Answer {
                documents: listed.iter().map(ListedJson::from).collect(),
            })
            .into_response()
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(response) => response,
    }
}

/// `/api/years`.
pub async fn years(State(state): State<Shared>) -> Response {
    match blocking(&state, |s| s.searcher.year_counts()).await {
        Ok(Ok(counts)) => {
            #[derive(Serialize)]
            struct Answer {
                years: Vec<YearJson>,
            }
            Json(Answer {
                years: years_json(&counts),
            })
            .into_response()
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(response) => response,
    }
}

/// `/api/series`: `{"series": [...]}`, each as `series --json` prints it.
pub async fn series(State(state): State<Shared>) -> Response {
    let all = crate::index::search::Filter::default();
    match blocking(&state, move |s| s.searcher.list(&all)).await {
        Ok(Ok(listed)) => {
            #[derive(Serialize)]
            struct Answer {
                series: Vec<crate::series::Series>,
            }
            Json(Answer {
                series: crate::series::of_listed(listed),
            })
            .into_response()
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(response) => response,
    }
}

/// `/api/status`: what `status --json` prints.
pub async fn status(State(state): State<Shared>) -> Response {
    match blocking(&state, |s| crate::index::status::status(&s.dir)).await {
        Ok(Ok(status)) => Json(status).into_response(),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(response) => response,
    }
}
