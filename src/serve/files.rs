//! `/file/ID`: the original file of a document, as it is on disk now, or the member of
//! the zip bundle it was read from. Found through the sync state by id, never by a path
//! from the request.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api::error;
use super::{Shared, blocking, parse_id};
use crate::extract::Limits;
use crate::index::sync::{Source, SyncState};

/// The media type of a document by its extension.
fn content_type(name: &std::path::Path) -> &'static str {
    let ext = name
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docm" => "application/vnd.ms-word.document.macroEnabled.12",
        "dotx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
        "doc" | "dot" => "application/msword",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ott" => "application/vnd.oasis.opendocument.text-template",
        "ofd" => "application/ofd",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// `attachment` with the file name: an ASCII fallback and the UTF-8 name (RFC 6266).
fn disposition(name: &std::path::Path) -> HeaderValue {
    let name = name
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into());
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let utf8 = super::params::encode(&name);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn gone() -> Response {
    error(StatusCode::GONE, "the file is gone since it was indexed")
}

/// `/file/ID`.
pub async fn original(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let Some(id) = parse_id(&id) else {
        return error(StatusCode::NOT_FOUND, "no such document");
    };
    let source = match blocking(&state, move |s| SyncState::load(&s.dir).source_of(id)).await {
        Ok(Some(source)) => source,
        Ok(None) => return error(StatusCode::NOT_FOUND, "no such document"),
        Err(response) => return response,
    };
    let (name, body) = match source {
        Source::File(path) => match tokio::fs::File::open(&path).await {
            Ok(file) => {
                let stream = tokio_util::io::ReaderStream::new(file);
                (path, Body::from_stream(stream))
            }
            Err(_) => return gone(),
        },
        Source::Member { bundle, member } => {
            let (bundle2, member2) = (bundle.clone(), member.clone());
            let read = blocking(&state, move |_| {
                crate::extract::bundle::member_bytes(&bundle2, &member2, &Limits::default())
            })
            .await;
            match read {
                Ok(Ok(Some(bytes))) => (member, Body::from(bytes)),
                Ok(Ok(None)) => return gone(),
                Ok(Err(_)) if !bundle.exists() => return gone(),
                Ok(Err(reason)) => {
                    return error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &format!("cannot read the bundle: {reason}"),
                    );
                }
                Err(response) => return response,
            }
        }
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&name)),
            ),
            (header::CONTENT_DISPOSITION, disposition(&name)),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_and_types() {
        let name = std::path::Path::new("/a/2021年工作总结.DOCX");
        assert_eq!(
            content_type(name),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let value = disposition(name);
        let value = value.to_str().unwrap_or_default();
        assert!(
            value.starts_with("attachment; filename=\"2021_____.DOCX\"; filename*=UTF-8''2021%E5%B9%B4"),
            "{value}"
        );
        assert_eq!(
            content_type(std::path::Path::new("x")),
            "application/octet-stream"
        );
    }
}
