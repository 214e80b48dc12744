//! `dangan serve`: every route and error over HTTP, in-process (the router answers
//! requests directly), on an index of the sample archive built by the real binary; and the
//! binary's refusal to listen openly without a password choice.

mod common;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use dangan::serve::{self, Login};
use serde_json::Value;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

fn q(text: &str) -> String {
    serve::params::encode(text)
}

fn app_over(idx: &Path, login: Option<Login>) -> Router {
    serve::router(serve::state(idx, login).expect("serve state"))
}

/// `search --json -n N QUERY` from the real binary.
fn cli_search(idx: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--index", idx.to_str().unwrap_or_default(), "--json"];
    all.extend_from_slice(args);
    json_lines(&dangan(&all))
}

#[tokio::test]
async fn api_answers_what_the_cli_answers() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let app = app_over(idx.path(), None);

    for query in [
        "民族团结",
        "工作 总结",
        "安全生产 -疫情",
        "河长制 OR 林长制",
        "title:2022",
        "族团",
    ] {
        let cli = cli_search(idx.path(), &["-n", "100", query]);
        let api = get(&app, &format!("/api/search?n=100&q={}", q(query))).await;
        assert_eq!(api.status, StatusCode::OK, "{query}: {}", api.text());
        let api = api.json();
        let hits = api["hits"].as_array().cloned().unwrap_or_default();
        let paths = |rows: &[Value]| rows.iter().map(|r| r["path"].clone()).collect::<Vec<_>>();
        assert_eq!(paths(&hits), paths(&cli), "{query}: same hits in the same order");
        for (hit, row) in hits.iter().zip(&cli) {
            for key in ["title", "year", "snippet"] {
                assert_eq!(hit[key], row[key], "{query}: {key}");
            }
            let id = hit["id"].as_str().unwrap_or_default();
            assert_eq!(id.len(), 16, "{hit}");
        }
        assert_eq!(api["total"].as_u64(), Some(cli.len() as u64), "{query}");
        // Per-year counts add up to the total (no year filter here).
        let by_year: u64 = api["years"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|y| y["count"].as_u64())
            .sum();
        assert_eq!(by_year, cli.len() as u64, "{query}");
    }

    // Pages: offset and n slice the same order; a year filter narrows, the years do not.
    let all = get(&app, &format!("/api/search?n=100&q={}", q("工作")))
        .await
        .json();
    let page = get(&app, &format!("/api/search?n=3&offset=2&q={}", q("工作")))
        .await
        .json();
    assert_eq!(page["hits"].as_array().map(Vec::len), Some(3));
    assert_eq!(page["hits"][0]["path"], all["hits"][2]["path"]);
    assert_eq!(page["total"], all["total"]);
    let in_2022 = get(&app, &format!("/api/search?n=100&year=2022&q={}", q("工作")))
        .await
        .json();
    let cli_2022 = cli_search(idx.path(), &["-n", "100", "--year", "2022", "工作"]);
    assert_eq!(in_2022["total"].as_u64(), Some(cli_2022.len() as u64));
    assert_eq!(in_2022["years"], all["years"]);
    let by_year = get(&app, &format!("/api/search?n=100&sort=year&q={}", q("工作")))
        .await
        .json();
    let cli_by_year = cli_search(idx.path(), &["-n", "100", "--sort", "year", "工作"]);
    let paths = |v: &Value| {
        v["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| h["path"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&by_year),
        cli_by_year.iter().map(|r| r["path"].clone()).collect::<Vec<_>>()
    );

    // list and years: the CLI's rows, with ids.
    let listed = get(&app, "/api/list?year=2022").await.json();
    let cli_list = json_lines(&dangan(&[
        "list",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
        "--year",
        "2022",
    ]));
    let docs = listed["documents"].as_array().cloned().unwrap_or_default();
    assert_eq!(docs.len(), cli_list.len());
    for (doc, row) in docs.iter().zip(&cli_list) {
        assert_eq!(
            (&doc["path"], &doc["title"], &doc["year"]),
            (&row["path"], &row["title"], &row["year"])
        );
    }
    let years = get(&app, "/api/years").await.json();
    let cli_years = json_lines(&dangan(&[
        "years",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
    ]));
    assert_eq!(years["years"].as_array().cloned().unwrap_or_default(), cli_years);
    let series = get(&app, "/api/series").await.json();
    let cli_series = json_lines(&dangan(&[
        "series",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
    ]));
    assert_eq!(
        series["series"].as_array().cloned().unwrap_or_default(),
        cli_series
    );
    let status = get(&app, "/api/status").await.json();
    assert_eq!(status["documents"].as_u64(), Some(36));

    // A document by id: the same one its hit named; ids are stable across a re-index.
    let hit = &all["hits"][0];
    let id = hit["id"].as_str().unwrap_or_default().to_string();
    let doc = get(&app, &format!("/api/doc/{id}")).await.json();
    assert_eq!(doc["path"], hit["path"]);
    assert!(doc["text"].as_str().is_some_and(|t| t.contains("工作")));
    let again = build_index(&[&archive]);
    let app2 = app_over(again.path(), None);
    assert_eq!(
        get(&app2, &format!("/api/doc/{id}")).await.json()["path"],
        hit["path"]
    );
}

#[tokio::test]
async fn bad_requests_get_4xx_json_and_the_server_keeps_serving() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let app = app_over(idx.path(), None);
    let long = "字".repeat(1001);
    for (uri, status) in [
        ("/api/search".to_string(), StatusCode::BAD_REQUEST),
        ("/api/search?q=".to_string(), StatusCode::BAD_REQUEST),
        (
            format!("/api/search?q={}", q("\"没有结束")),
            StatusCode::BAD_REQUEST,
        ),
        (format!("/api/search?q={}", q(&long)), StatusCode::BAD_REQUEST),
        ("/api/search?q=a&n=-1".to_string(), StatusCode::BAD_REQUEST),
        ("/api/search?q=a&n=abc".to_string(), StatusCode::BAD_REQUEST),
        ("/api/search?q=a&year=abc".to_string(), StatusCode::BAD_REQUEST),
        (
            "/api/search?q=a&from=2023&to=2021".to_string(),
            StatusCode::BAD_REQUEST,
        ),
        ("/api/list?year=二〇二三".to_string(), StatusCode::BAD_REQUEST),
        ("/api/doc/0123456789abcdef".to_string(), StatusCode::NOT_FOUND),
        ("/api/doc/xyz".to_string(), StatusCode::NOT_FOUND),
        (format!("/api/doc/{}", "f".repeat(5000)), StatusCode::NOT_FOUND),
        (
            "/api/doc/..%2F..%2Fetc%2Fpasswd".to_string(),
            StatusCode::NOT_FOUND,
        ),
        ("/file/..%2F..%2Fetc%2Fpasswd".to_string(), StatusCode::NOT_FOUND),
        (
            "/file/%2e%2e/%2e%2e/Cargo.toml".to_string(),
            StatusCode::NOT_FOUND,
        ),
        ("/doc/../../etc/passwd".to_string(), StatusCode::NOT_FOUND),
        ("/api/nothing".to_string(), StatusCode::NOT_FOUND),
    ] {
        let answer = get(&app, &uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        if uri.starts_with("/api/") {
            assert!(answer.json()["error"].is_string(), "{uri}");
        }
    }
    // n is clamped, not refused.
    let answer = get(&app, "/api/search?q=%E5%B7%A5%E4%BD%9C&n=100000").await;
    assert_eq!(answer.status, StatusCode::OK);

    // Oversized headers: 431.
    let huge = "x".repeat(64 * 1024);
    let request = Request::get("/api/years")
        .header("x-padding", huge)
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&app, request).await.status,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    // An oversized body: 413.
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(vec![b'a'; 1024 * 1024]))
        .expect("request");
    assert_eq!(send(&app, request).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A bad query on the page: the CLI's message beside the box, not an error page.
    let page = get(&app, &format!("/?q={}", q("\"没有结束"))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let html = page.text();
    assert!(
        html.contains("name=\"q\"") && html.contains("role=\"alert\""),
        "{html}"
    );
    assert!(html.contains("bad query at column"), "{html}");

    // Still serving.
    assert_eq!(get(&app, "/api/years").await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_show_hits_documents_years_list_and_status() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let app = app_over(idx.path(), None);

    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(
        html.contains("<html lang=\"zh-CN\">") && html.contains("name=\"q\""),
        "{html}"
    );
    let csp = home
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );

    let results = get(&app, &format!("/?q={}", q("民族团结 宣传月"))).await;
    assert_eq!(results.status, StatusCode::OK);
    let html = results.text();
    let cli = cli_search(idx.path(), &["-n", "20", "民族团结 宣传月"]);
    assert!(html.contains("id=\"total\""), "{html}");
    assert_eq!(html.matches("class=\"hit\"").count(), cli.len().min(20));
    assert!(
        html.contains("<mark>民族团结</mark>") || html.contains("<mark>宣传月</mark>"),
        "{html}"
    );
    assert!(html.contains("/doc/"), "{html}");
    assert!(
        html.contains("year=2022"),
        "the per-year counts link to a filter: {html}"
    );

    // The document page: facts, the whole text marked, a jump to the first mark, the file.
    let api = get(&app, &format!("/api/search?q={}", q("宣传月"))).await.json();
    let id = api["hits"][0]["id"].as_str().unwrap_or_default().to_string();
    let doc = get(&app, &format!("/doc/{id}?q={}", q("宣传月"))).await;
    assert_eq!(doc.status, StatusCode::OK);
    let html = doc.text();
    assert!(html.contains("id=\"m1\""), "{html}");
    assert!(html.contains("href=\"#m1\""), "{html}");
    assert!(html.contains(&format!("/file/{id}")), "{html}");

    let years = get(&app, "/years").await.text();
    for year in ["2020", "2021", "2022", "2023"] {
        assert!(years.contains(year), "{years}");
    }
    let list = get(&app, "/list?year=2021").await.text();
    assert!(list.contains("2021年"), "{list}");
    let status = get(&app, "/status").await.text();
    assert!(status.contains("36"), "{status}");
    assert_eq!(get(&app, "/style.css").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/nowhere").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn copies_and_versions_show_in_the_api_and_pages() {
    let (_tmp, root) = copy_tree(&fixtures().join("versions"), &VERSIONS);
    let idx = build_index(&[&root]);
    let app = app_over(idx.path(), None);
    let final_path = "人居环境/东山村2023年人居环境整治工作总结（定稿）.docx";
    let revised = "人居环境/东山村2023年人居环境整治工作总结（修改稿）.docx";
    let sent_up = "上报材料/东山村2023年人居环境整治工作总结.doc";
    let rels = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|p| rel(&root, p.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    };

    let api = get(&app, &format!("/api/search?q={}", q("title:东山村2023")))
        .await
        .json();
    assert_eq!(api["total"], 1, "{api}");
    let hit = &api["hits"][0];
    assert_eq!(rel(&root, hit["path"].as_str().unwrap_or_default()), final_path);
    assert_eq!(rels(&hit["versions"]).len(), 3, "{hit}");
    let list = get(&app, "/api/list?year=2023").await.json();
    assert_eq!(list["documents"].as_array().map(Vec::len), Some(6), "{list}");

    // A draft's own page: its copy, and the other drafts linked.
    let path = root.join(revised);
    let id = serve::format_id(dangan::index::sync::document_id(
        path.as_os_str().as_encoded_bytes(),
    ));
    let doc = get(&app, &format!("/api/doc/{id}")).await.json();
    assert_eq!(rels(&doc["copies"]), [sent_up], "{doc}");
    assert_eq!(rels(&doc["versions"]).len(), 2, "{doc}");
    let page = get(&app, &format!("/doc/{id}")).await.text();
    assert!(page.contains("其他稿本"), "{page}");
    assert!(
        page.contains("（初稿）.docx</a>"),
        "each version links to its page: {page}"
    );

    let results = get(&app, &format!("/?q={}", q("美丽庭院"))).await.text();
    assert!(results.contains("其他稿本 3 份"), "{results}");
}

#[tokio::test]
async fn files_come_back_byte_for_byte_and_gone_files_are_410() {
    let root = tempfile::tempdir().expect("tempdir");
    let docx = Docx::new(&p("青山镇河长制工作情况报告")).bytes();
    std::fs::write(root.path().join("河长制报告.docx"), &docx).expect("write");
    let member = Docx::new(&p("各村河长巡河记录汇总")).bytes();
    let bundle = zip_of(&[("各村/巡河记录.docx", &member)]);
    std::fs::write(root.path().join("材料.zip"), &bundle).expect("write");
    let idx = build_index(&[root.path()]);
    let app = app_over(idx.path(), None);

    let id_of = |answer: &Value| answer["hits"][0]["id"].as_str().unwrap_or_default().to_string();
    let id = id_of(
        &get(&app, &format!("/api/search?q={}", q("河长制工作")))
            .await
            .json(),
    );
    let file = get(&app, &format!("/file/{id}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, docx);
    let disposition = file
        .headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        disposition.contains(&serve::params::encode("河长制报告.docx")),
        "{disposition}"
    );
    assert!(
        file.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.contains("wordprocessingml")),
    );

    let member_id = id_of(
        &get(&app, &format!("/api/search?q={}", q("巡河记录")))
            .await
            .json(),
    );
    let file = get(&app, &format!("/file/{member_id}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, member, "the member, served from inside the bundle");

    std::fs::remove_file(root.path().join("河长制报告.docx")).expect("remove");
    assert_eq!(get(&app, &format!("/file/{id}")).await.status, StatusCode::GONE);
    std::fs::remove_file(root.path().join("材料.zip")).expect("remove");
    assert_eq!(
        get(&app, &format!("/file/{member_id}")).await.status,
        StatusCode::GONE
    );
}

#[tokio::test]
async fn a_hostile_document_is_shown_as_text() {
    let root = tempfile::tempdir().expect("tempdir");
    let hostile = "<script>window.__ran=1</script><img src=x onerror=alert(1)>恶意文档";
    let docx = Docx::new(&p(&hostile.replace('<', "&lt;").replace('>', "&gt;"))).bytes();
    std::fs::write(root.path().join("恶意<b>文档.docx"), &docx).expect("write");
    let idx = build_index(&[root.path()]);
    let app = app_over(idx.path(), None);
    let results = get(&app, &format!("/?q={}", q("恶意文档"))).await.text();
    assert!(
        !results.contains("<script>") && !results.contains("<img"),
        "{results}"
    );
    assert!(results.contains("恶意&lt;b&gt;文档"), "{results}");
    let api = get(&app, &format!("/api/search?q={}", q("恶意文档")))
        .await
        .json();
    let id = api["hits"][0]["id"].as_str().unwrap_or_default().to_string();
    let doc = get(&app, &format!("/doc/{id}?q={}", q("<script>"))).await.text();
    assert!(
        !doc.contains("<script>") && !doc.contains("<img") && !doc.contains("<b>"),
        "{doc}"
    );
    assert!(doc.contains("&lt;img src=x onerror=alert(1)&gt;"), "{doc}");
}

#[tokio::test]
async fn a_password_guards_pages_and_api() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let login = Login::new("档案室2023".as_bytes()).expect("login");
    let app = app_over(idx.path(), Some(login));

    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(
        home.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()),
        Some("/login")
    );
    assert_eq!(get(&app, "/api/years").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&app, "/file/0123456789abcdef").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(get(&app, "/login").await.status, StatusCode::OK);

    let post = |password: &str| {
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("password={}", q(password))))
            .expect("request")
    };
    assert_eq!(send(&app, post("wrong")).await.status, StatusCode::UNAUTHORIZED);
    let ok = send(&app, post("档案室2023")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let cookie = ok
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("dangan_session="), "{cookie}");
    let request = Request::get("/api/years")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&app, request).await.status, StatusCode::OK);
    let request = Request::get("/api/years")
        .header(header::COOKIE, "dangan_session=0000")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&app, request).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_server_sees_commits_of_another_writer() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(root.path().join("a.txt"), "第一份材料").expect("write");
    let idx = build_index(&[root.path()]);
    let state = serve::state(idx.path(), None).expect("state");
    let app = serve::router(Arc::clone(&state));
    let uri = format!("/api/search?q={}", q("第二份"));
    assert_eq!(get(&app, &uri).await.json()["total"], 0);

    std::fs::write(root.path().join("b.txt"), "第二份材料").expect("write");
    let out = dangan(&[
        "index",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        root.path().to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::time::Instant::now();
    let mut seen = false;
    while committed.elapsed() < std::time::Duration::from_secs(5) {
        if get(&app, &uri).await.json()["total"] == 1 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen, "the new document never showed");
}

#[test]
fn an_open_address_needs_a_password_choice() {
    let idx = tempfile::tempdir().expect("tempdir");
    let out = dangan(&[
        "serve",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--listen",
        "0.0.0.0:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--password-file") && err.contains("--no-password"),
        "{err}"
    );
    assert!(serve::check_listen("127.0.0.1:8940".parse().expect("addr"), false).is_ok());
    assert!(serve::check_listen("[::1]:8940".parse().expect("addr"), false).is_ok());
    assert!(serve::check_listen("192.168.1.5:8940".parse().expect("addr"), false).is_err());
    assert!(serve::check_listen("0.0.0.0:8940".parse().expect("addr"), true).is_ok());
}

#[tokio::test]
async fn watch_keeps_the_folders_in_step() {
    use std::sync::atomic::Ordering;
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(root.path().join("一.txt"), "第一份材料").expect("write");
    let idx = build_index(&[root.path()]);
    let app = app_over(idx.path(), None);
    let news = Arc::new(serve::watch::WatchState::default());
    let watcher = serve::watch::spawn(
        idx.path().to_path_buf(),
        vec![root.path().to_path_buf()],
        std::time::Duration::from_secs(3600),
        news.clone(),
    );
    let found = |query: &'static str| {
        let app = app.clone();
        async move { get(&app, &format!("/api/search?q={}", q(query))).await.json()["total"].as_u64() }
    };
    let until = |query: &'static str, want: u64| {
        let found = &found;
        async move {
            let started = std::time::Instant::now();
            while started.elapsed() < std::time::Duration::from_secs(30) {
                if found(query).await == Some(want) {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            false
        }
    };
    // A new file, a changed one, a removed one: each reaches the page by itself.
    std::fs::write(root.path().join("二.txt"), "第二份材料").expect("write");
    assert!(until("第二份", 1).await, "a new file was not indexed");
    std::fs::write(root.path().join("一.txt"), "改过的第一份").expect("write");
    assert!(until("改过的", 1).await, "a changed file was not re-indexed");
    std::fs::remove_file(root.path().join("二.txt")).expect("remove");
    assert!(until("第二份", 0).await, "a removed file stayed");
    assert!(news.last_sync.load(Ordering::Relaxed) > 0);
    news.stop.store(true, Ordering::SeqCst);
    watcher.join().expect("the watcher stops");
}

#[test]
fn watch_needs_an_index_with_folders() {
    let root = tempfile::tempdir().expect("tempdir");
    let idx = build_index(&[root.path()]);
    let idx_arg = idx.path().to_str().unwrap_or_default();
    // An index whose sync state lost its roots: nothing to watch.
    std::fs::write(idx.path().join("dangan-sync.json"), "{}").expect("write");
    let out = dangan(&["serve", "--index", idx_arg, "--watch", "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no folders yet"));
}

// ---------------------------------------------------------------------------------------
// Official-document facts (#14): filters, JSON keys and the page.

/// A DOCX of `lines`, one paragraph each, the line equal to `title` centred (the title as
/// it is typed by hand), the red head and the signature plain.
fn official_docx(title: &str, lines: &[&str]) -> Docx {
    let body: String = lines
        .iter()
        .map(|line| {
            if *line == title {
                format!(
                    "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>"
                )
            } else {
                p(line)
            }
        })
        .collect();
    Docx::new(&body)
}

/// Five documents about 防汛: two 通知 (one red-headed with a number, one signed by an
/// office), a 决定 and a 函 with red heads, and a 总结 dated to the month only.
fn official_tree() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    let docs: [(&str, &str, &[&str]); 5] = [
        (
            "汛前检查通知.docx",
            "关于开展汛前安全检查的通知",
            &[
                "青山镇人民政府文件",
                "青政发〔2023〕12号",
                "关于开展汛前安全检查的通知",
                "各村（社区）：",
                "为做好今年防汛工作，经研究，决定开展汛前安全检查。",
                "青山镇人民政府",
                "2023年4月6日",
            ],
        ),
        (
            "表彰决定.docx",
            "关于表彰防汛工作先进集体的决定",
            &[
                "中共青山镇委员会文件",
                "青党发[2023]3号",
                "关于表彰防汛工作先进集体的决定",
                "各党支部：",
                "在今年防汛工作中，涌现出一批先进集体。",
                "中共青山镇委员会",
                "2023年6月30日",
            ],
        ),
        (
            "防汛总结.docx",
            "青山镇2022年防汛工作总结",
            &[
                "青山镇2022年防汛工作总结",
                "今年以来，我镇防汛工作扎实推进，未发生人员伤亡。",
                "青山镇应急管理办公室",
                "2022年12月",
            ],
        ),
        (
            "商请函.docx",
            "关于商请支持防汛物资的函",
            &[
                "青山镇人民政府",
                "青政函（2023）8号",
                "关于商请支持防汛物资的函",
                "县应急管理局：",
                "为做好防汛工作，现商请贵局支持防汛物资。",
                "青山镇人民政府",
                "2023年7月15日",
            ],
        ),
        (
            "物资储备通知.docx",
            "关于做好防汛物资储备工作的通知",
            &[
                "关于做好防汛物资储备工作的通知",
                "各村（社区）：",
                "请各村做好防汛物资储备，确保汛期安全。",
                "青山镇应急管理办公室",
                "2023年5月20日",
            ],
        ),
    ];
    for (file, title, lines) in docs {
        official_docx(title, lines).write_to(&root.path().join(file));
    }
    root
}

/// The titles of a JSON answer's `hits` or `documents`, sorted.
fn titles(answer: &Value, key: &str) -> Vec<String> {
    let mut titles: Vec<String> = answer[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["title"].as_str().map(str::to_string))
        .collect();
    titles.sort();
    titles
}

const NOTICE: &str = "关于开展汛前安全检查的通知";
const DECISION: &str = "关于表彰防汛工作先进集体的决定";
const SUMMARY: &str = "青山镇2022年防汛工作总结";
const LETTER: &str = "关于商请支持防汛物资的函";
const STOCK: &str = "关于做好防汛物资储备工作的通知";

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut titles: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn official_facts_filter_the_api_and_come_back_as_keys() {
    let root = official_tree();
    let idx = build_index(&[root.path()]);
    let app = app_over(idx.path(), None);
    let search = |query: String| {
        let app = app.clone();
        async move {
            let answer = get(&app, &format!("/api/search?n=100&{query}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.text());
            titles(&answer.json(), "hits")
        }
    };
    let list = |query: &'static str| {
        let app = app.clone();
        async move {
            let answer = get(&app, &format!("/api/list?{query}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.text());
            titles(&answer.json(), "documents")
        }
    };
    let flood = q("防汛");
    assert_eq!(search(format!("q={flood}")).await.len(), 5);

    // kind: one kind, or any of several.
    assert_eq!(
        search(format!("q={flood}&kind={}", q("通知"))).await,
        sorted(&[NOTICE, STOCK])
    );
    assert_eq!(
        search(format!("q={flood}&kind={}&kind={}", q("决定"), q("函"))).await,
        sorted(&[DECISION, LETTER])
    );
    assert_eq!(
        search(format!("q={flood}&kind={}", q("请示"))).await,
        Vec::<String>::new()
    );

    // Dates: a day, a month or a year at either end; a month-only date matches when its
    // month overlaps the period.
    assert_eq!(
        list("date_from=2023-06&date_to=2023-06").await,
        sorted(&[DECISION])
    );
    assert_eq!(
        list("date_from=2023-06-30&date_to=2023-06-30").await,
        sorted(&[DECISION])
    );
    assert_eq!(list("date_from=2023-07-01").await, sorted(&[LETTER]));
    assert_eq!(list("date_to=2023-04-06").await, sorted(&[SUMMARY, NOTICE]));
    assert_eq!(
        list("date_from=2022-12-15&date_to=2022-12-20").await,
        sorted(&[SUMMARY])
    );
    assert_eq!(
        list("date_from=2022-12-31&date_to=2023-04-05").await,
        sorted(&[SUMMARY])
    );
    assert_eq!(
        list("date_from=2023").await,
        sorted(&[NOTICE, DECISION, LETTER, STOCK])
    );
    assert_eq!(list("date_from=2022&date_to=2022").await, sorted(&[SUMMARY]));
    assert_eq!(
        search(format!("q={flood}&date_from=2023-05&kind={}", q("通知"))).await,
        sorted(&[STOCK])
    );

    // issuer: a part of the office's name, from the red head or the signature.
    let issuer = |part: &'static str| {
        let app = app.clone();
        async move {
            let answer = get(&app, &format!("/api/list?issuer={}", q(part))).await;
            titles(&answer.json(), "documents")
        }
    };
    assert_eq!(issuer("人民政府").await, sorted(&[NOTICE, LETTER]));
    assert_eq!(issuer("委员会").await, sorted(&[DECISION]));
    assert_eq!(issuer("应急管理").await, sorted(&[SUMMARY, STOCK]));
    assert_eq!(issuer("县人民政府").await, Vec::<String>::new());

    // The API's filters are the CLI's flags.
    let cli = json_lines(&dangan(&[
        "list",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
        "--date-from",
        "2023-05",
        "--kind",
        "通知",
        "--kind",
        "函",
    ]));
    let api = get(
        &app,
        &format!("/api/list?date_from=2023-05&kind={}&kind={}", q("通知"), q("函")),
    )
    .await
    .json();
    let documents = api["documents"].as_array().cloned().unwrap_or_default();
    assert_eq!(documents.len(), cli.len());
    for (doc, row) in documents.iter().zip(&cli) {
        for key in ["path", "title", "year", "date", "doc_number", "issuer", "kind"] {
            assert_eq!(doc[key], row[key], "{key}");
        }
    }

    // no: in the query, whatever brackets are typed.
    for number in ["[2023]12号", "〔2023〕12号", "（2023）12号", "青政发(2023)12"] {
        assert_eq!(
            search(format!("q={}", q(&format!("no:{number}")))).await,
            sorted(&[NOTICE]),
            "no:{number}"
        );
    }
    assert_eq!(
        search(format!("q={}", q("no:青党发[2023]"))).await,
        sorted(&[DECISION])
    );
    assert_eq!(
        search(format!("q={}", q("issuer:委员会 防汛"))).await,
        sorted(&[DECISION])
    );
    assert_eq!(search(format!("q={}", q("kind:函"))).await, sorted(&[LETTER]));

    // A bad date or an inverted period: 400 with the message, as a bad year is.
    for uri in [
        format!("/api/search?q={flood}&date_from=2023-13"),
        format!("/api/search?q={flood}&date_to=June"),
        "/api/list?date_from=2023-02-30".to_string(),
        "/api/list?date_from=2023-07&date_to=2023-06".to_string(),
        format!("/api/list?date_from={}", q("二〇二三年")),
    ] {
        let answer = get(&app, &uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}: {}", answer.text());
        let message = answer.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("date"), "{uri}: {message}");
    }

    // The metadata keys: in hits, in list rows and in /api/doc, present even when null.
    let want = serde_json::json!({
        "date": "2023-04-06",
        "doc_number": "青政发〔2023〕12号",
        "issuer": "青山镇人民政府",
        "kind": "通知",
    });
    let facts = |row: &Value| {
        serde_json::json!({
            "date": row["date"],
            "doc_number": row["doc_number"],
            "issuer": row["issuer"],
            "kind": row["kind"],
        })
    };
    let hits = get(&app, &format!("/api/search?q={}", q("汛前安全检查")))
        .await
        .json();
    let hit = &hits["hits"][0];
    assert_eq!(hit["title"], NOTICE);
    assert_eq!(facts(hit), want);
    let id = hit["id"].as_str().unwrap_or_default().to_string();
    let listed = get(&app, &format!("/api/list?kind={}", q("通知"))).await.json();
    let row = listed["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["id"] == id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(facts(&row), want);
    let doc = get(&app, &format!("/api/doc/{id}")).await.json();
    assert_eq!(facts(&doc), want);
    let summary = get(&app, &format!("/api/search?q={}", q("未发生人员伤亡")))
        .await
        .json();
    let summary = &summary["hits"][0];
    for key in ["date", "doc_number", "issuer", "kind"] {
        assert!(summary.get(key).is_some(), "{key} missing: {summary}");
    }
    assert_eq!(
        facts(summary),
        serde_json::json!({
            "date": "2022-12",
            "doc_number": null,
            "issuer": "青山镇应急管理办公室",
            "kind": "总结",
        })
    );
}

#[tokio::test]
async fn the_pages_filter_by_facts_and_show_them() {
    let root = official_tree();
    let idx = build_index(&[root.path()]);
    let app = app_over(idx.path(), None);
    let flood = q("防汛");

    // The form: date fields, every kind as a checkbox, the issuer; closed when unused.
    let home = get(&app, "/").await.text();
    for field in [
        "name=\"date_from\"",
        "name=\"date_to\"",
        "name=\"issuer\"",
        "placeholder=\"2023-06\"",
    ] {
        assert!(home.contains(field), "{field}: {home}");
    }
    for kind in dangan::meta::KINDS {
        assert!(
            home.contains(&format!("name=\"kind\" value=\"{kind}\"")),
            "{kind}"
        );
    }
    assert!(
        home.contains("更多筛选") && !home.contains("class=\"filters more\" open"),
        "{home}"
    );

    // A kind ticked: only its hits, each with its facts; the form keeps what was asked.
    let page = get(&app, &format!("/?q={flood}&kind={}", q("通知"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert_eq!(html.matches("class=\"hit\"").count(), 2, "{html}");
    assert!(
        html.contains(&format!(">{NOTICE}<")) && html.contains(&format!(">{STOCK}<")),
        "{html}"
    );
    assert!(!html.contains(DECISION) && !html.contains(LETTER), "{html}");
    assert_eq!(
        html.matches("<span class=\"kind\">通知</span>").count(),
        2,
        "{html}"
    );
    for fact in [
        "<span class=\"doc-number\">青政发〔2023〕12号</span>",
        "<span class=\"issuer\">青山镇人民政府</span>",
        "<time class=\"date\" datetime=\"2023-04-06\">2023-04-06</time>",
        "<span class=\"issuer\">青山镇应急管理办公室</span>",
        "<time class=\"date\" datetime=\"2023-05-20\">2023-05-20</time>",
    ] {
        assert!(html.contains(fact), "{fact}: {html}");
    }
    assert_eq!(
        html.matches("class=\"doc-number\"").count(),
        1,
        "only where present"
    );
    assert!(html.contains("value=\"通知\" checked"), "{html}");
    assert!(!html.contains("value=\"决定\" checked"), "{html}");
    assert!(html.contains("class=\"filters more\" open"), "{html}");

    // Several filters at once, kept in the form, the pages and the per-year links.
    let uri = format!(
        "/?q={flood}&n=1&kind={}&kind={}&issuer={}&date_from=2022-12",
        q("通知"),
        q("总结"),
        q("青山镇"),
    );
    let html = get(&app, &uri).await.text();
    assert!(html.contains("value=\"2022-12\""), "{html}");
    assert!(html.contains("value=\"青山镇\""), "{html}");
    assert_eq!(html.matches("class=\"hit\"").count(), 1, "{html}");
    let kept = [
        format!("date_from={}", q("2022-12")),
        format!("issuer={}", q("青山镇")),
        format!("kind={}&amp;kind={}", q("通知"), q("总结")),
    ];
    let keeps = |link: &str| kept.iter().all(|k| link.contains(k.as_str()));
    let next = html
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default();
    assert!(keeps(next) && next.contains("offset=1"), "{next}");
    let year_links: Vec<&str> = html
        .split("class=\"year-count")
        .skip(1)
        .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
        .collect();
    assert!(!year_links.is_empty(), "{html}");
    for link in year_links {
        assert!(keeps(link), "{link}");
    }

    // A hit's link carries the search, so that 返回检索结果 comes back to this page.
    let page_two = format!("/?q={flood}&n=1&offset=1&kind={}", q("通知"));
    let html = get(&app, &page_two).await.text();
    let doc_link = html
        .split("<h2><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    assert!(doc_link.starts_with("/doc/"), "{html}");
    let doc = get(&app, &doc_link).await.text();
    let back = doc
        .split("class=\"back\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    let pieces = |uri: &str| {
        let mut pieces: Vec<String> = uri.split(['?', '&']).map(str::to_string).collect();
        pieces.sort();
        pieces
    };
    assert_eq!(pieces(&back), pieces(&page_two), "{doc}");
    assert!(doc.contains("<mark id=\"m1\">防汛</mark>"), "{doc}");

    // A bad date: the one-line message beside the form, the values kept to correct.
    let page = get(&app, &format!("/?q={flood}&date_from=2023-13&kind={}", q("函"))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let html = page.text();
    assert!(
        html.contains("role=\"alert\"") && html.contains("date_from: `") && html.contains("is not a date"),
        "{html}"
    );
    assert!(
        html.contains("value=\"2023-13\"") && html.contains("value=\"函\" checked"),
        "{html}"
    );
    assert!(html.contains(&format!("value=\"{}\"", "防汛")), "{html}");

    // A filter without a query is a listing.
    let page = get(&app, &format!("/?kind={}", q("决定"))).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let location = page
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(location, format!("/list?kind={}", q("决定")));

    // The list: the same filters and form, each row with its facts.
    let html = get(&app, &format!("/list?kind={}", q("决定"))).await.text();
    assert!(html.contains(DECISION) && !html.contains(NOTICE), "{html}");
    for fact in [
        "<span class=\"doc-number\">青党发〔2023〕3号</span>",
        "<span class=\"issuer\">中共青山镇委员会</span>",
        "<time class=\"date\" datetime=\"2023-06-30\">2023-06-30</time>",
        "<span class=\"kind\">决定</span>",
        "value=\"决定\" checked",
    ] {
        assert!(html.contains(fact), "{fact}: {html}");
    }
    let html = get(&app, "/list").await.text();
    assert_eq!(html.matches("class=\"facts\"").count(), 5, "{html}");
    let page = get(&app, "/list?date_to=2023-6-31").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let html = page.text();
    assert!(
        html.contains("date_to: `2023-6-31` is not a date") && html.contains("value=\"2023-6-31\""),
        "{html}"
    );

    // The document page: the facts in its list of metadata.
    let api = get(&app, &format!("/api/search?q={}", q("汛前安全检查")))
        .await
        .json();
    let id = api["hits"][0]["id"].as_str().unwrap_or_default().to_string();
    let html = get(&app, &format!("/doc/{id}")).await.text();
    for fact in [
        "<dt>发文字号</dt><dd class=\"doc-number\">青政发〔2023〕12号</dd>",
        "<dt>发文机关</dt><dd class=\"issuer\">青山镇人民政府</dd>",
        "<dt>成文日期</dt><dd class=\"date\"><time datetime=\"2023-04-06\">2023-04-06</time></dd>",
        "<dt>文种</dt><dd class=\"kind\">通知</dd>",
    ] {
        assert!(html.contains(fact), "{fact}: {html}");
    }
    assert!(!html.contains("<dt>密级</dt>"), "no secrecy mark, no row");
}
