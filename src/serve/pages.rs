//! The HTML pages, rendered on the server (maud escapes every value it is given: a
//! document's `<script>` is text on the page). Chinese UI, readable on a phone, no script.

use axum::extract::{Form, Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};

use super::api::{find_document, pairs, run_search};
use super::params::Params;
use super::{Shared, blocking, format_id};
use crate::index::search::{Hit, Listed};
use crate::meta::{KINDS, Official};
use crate::snippet::find_terms;
use crate::text::normalize;

const STYLE: &str = include_str!("style.css");

/// `/style.css`.
pub async fn style() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600")),
        ],
        STYLE,
    )
        .into_response()
}

/// The frame every page shares.
fn page(title: &str, current: &str, body: Markup) -> Markup {
    let nav = [
        ("/", "检索"),
        ("/years", "年度"),
        ("/list", "目录"),
        ("/series", "系列"),
        ("/status", "状态"),
    ];
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 档案检索" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header {
                    a.brand href="/" { "档案检索" }
                    nav {
                        @for (href, label) in nav {
                            @if href == current {
                                a.current href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page with a status code.
fn respond(status: StatusCode, markup: Markup) -> Response {
    (status, markup).into_response()
}

/// The 404 page.
pub fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        page(
            "未找到",
            "",
            html! { h1 { "未找到" } p { "没有这个页面或文档。" a href="/" { "返回检索" } } },
        ),
    )
}

/// `text` with the byte ranges `marks` in `<mark>`; the first gets `id` when given.
fn marked(text: &str, marks: &[(usize, usize)], first_id: Option<&str>) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &(start, end) in marks {
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        pieces.push((&text[at..start], false));
        pieces.push((&text[start..end], true));
        at = end;
    }
    pieces.push((&text[at..], false));
    let mut first = first_id;
    html! {
        @for (piece, is_mark) in pieces {
            @if is_mark {
                @if let Some(id) = first.take() {
                    mark id=(id) { (piece) }
                } @else {
                    mark { (piece) }
                }
            } @else {
                (piece)
            }
        }
    }
}

/// The parameters as typed, unchecked: what fills the form again beside the message when
/// one of them is bad (the user corrects the value, not retypes the rest).
fn typed(pairs: &[(String, String)]) -> Params {
    let mut p = Params {
        n: super::params::DEFAULT_N,
        ..Params::default()
    };
    for (key, value) in pairs {
        let value = value.trim();
        let field = match key.as_str() {
            "q" => &mut p.q,
            "year" => &mut p.year,
            "from" => &mut p.from,
            "to" => &mut p.to,
            "date_from" => &mut p.date_from,
            "date_to" => &mut p.date_to,
            "issuer" => &mut p.issuer,
            "sort" => {
                p.by_year = value == "year";
                continue;
            }
            "kind" if !value.is_empty() && !p.kinds.iter().any(|k| k == value) => {
                p.kinds.push(value.to_string());
                continue;
            }
            _ => continue,
        };
        *field = value.chars().take(super::params::MAX_QUERY_CHARS).collect();
    }
    p
}

/// Whether a report-year filter or the year sort is asked for.
fn year_filtered(params: &Params) -> bool {
    !params.year.is_empty() || !params.from.is_empty() || !params.to.is_empty() || params.by_year
}

/// Whether a filter of 更多筛选 (date, kind, issuer) is asked for.
fn facts_filtered(params: &Params) -> bool {
    !params.date_from.is_empty()
        || !params.date_to.is_empty()
        || !params.kinds.is_empty()
        || !params.issuer.is_empty()
}

/// The filter controls of the search and list forms: report years (and, for a search, the
/// order), then 更多筛选 — document date, kinds and issuer — each open when one of its
/// filters is set. Plain form fields: they work without script.
fn filter_controls(params: &Params, with_sort: bool) -> Markup {
    // A kind asked for in the address but not in the list stays ticked, so that it
    // survives the next submit instead of vanishing unseen.
    let others: Vec<&String> = params
        .kinds
        .iter()
        .filter(|k| !KINDS.contains(&k.as_str()))
        .collect();
    html! {
        details.filters open[year_filtered(params)] {
            summary { "筛选" }
            label { "年度 " input type="number" name="year" value=(params.year) min="1900" max="2100" inputmode="numeric"; }
            label { "从 " input type="number" name="from" value=(params.from) min="1900" max="2100" inputmode="numeric"; }
            label { "到 " input type="number" name="to" value=(params.to) min="1900" max="2100" inputmode="numeric"; }
            @if with_sort {
                label { "排序 "
                    select name="sort" {
                        option value="relevance" selected[!params.by_year] { "相关度" }
                        option value="year" selected[params.by_year] { "年度（新→旧）" }
                    }
                }
            }
        }
        details.filters.more open[facts_filtered(params)] {
            summary { "更多筛选" }
            div.dates {
                "成文日期 "
                label { "从 " input.date type="text" name="date_from" value=(params.date_from) placeholder="2023-06" maxlength="10" size="10" aria-label="成文日期从"; }
                label { "到 " input.date type="text" name="date_to" value=(params.date_to) placeholder="2023-06" maxlength="10" size="10" aria-label="成文日期到"; }
                span.hint { "年、年-月或年-月-日，如 2023、2023-06、2023-06-30" }
            }
            fieldset.kinds {
                legend { "文种（可多选）" }
                @for kind in KINDS {
                    label.kind { input type="checkbox" name="kind" value=(kind) checked[params.kinds.iter().any(|k| k == kind)]; (kind) }
                }
                @for kind in others {
                    label.kind { input type="checkbox" name="kind" value=(kind) checked; (kind) }
                }
            }
            label.issuer { "发文机关 " input.issuer type="text" name="issuer" value=(params.issuer) placeholder="如 人民政府" maxlength="100"; }
            button.apply type="submit" { "筛选" }
        }
    }
}

/// The search form, filled with `params`, and a message beside the box.
fn search_form(params: &Params, message: Option<&str>) -> Markup {
    html! {
        form.search method="get" action="/" role="search" {
            div.box {
                input type="search" name="q" value=(params.q) placeholder="输入关键词，如 民族团结 宣传月"
                    aria-label="关键词" autofocus maxlength="1000";
                button type="submit" { "检索" }
            }
            @if let Some(message) = message {
                pre.error role="alert" { (message) }
            }
            (filter_controls(params, true))
        }
    }
}

/// The list's filter form, filled with `params`, and a message when one is bad.
fn list_form(params: &Params, message: Option<&str>) -> Markup {
    html! {
        form.search.list method="get" action="/list" {
            @if let Some(message) = message {
                pre.error role="alert" { (message) }
            }
            (filter_controls(params, false))
        }
    }
}

/// A document's official facts on one line, those it has: `秘密 · 青政发〔2023〕12号 ·
/// 青山镇人民政府 · 2023-04-06 · 通知`, each in an element of its own class. `None` when it has
/// none.
fn facts_line(official: &Official) -> Option<Markup> {
    let date = official.date.map(|d| d.to_string());
    let items: Vec<(&str, &str)> = [
        ("secrecy", official.secrecy.as_deref()),
        ("doc-number", official.doc_number.as_deref()),
        ("issuer", official.issuer.as_deref()),
        ("date", date.as_deref()),
        ("kind", official.kind.as_deref()),
    ]
    .into_iter()
    .filter_map(|(class, value)| Some((class, value?)))
    .collect();
    if items.is_empty() {
        return None;
    }
    Some(html! {
        @for (i, (class, value)) in items.iter().enumerate() {
            @if i > 0 { span.sep aria-hidden="true" { " · " } }
            @if *class == "date" {
                time.date datetime=(value) { (value) }
            } @else {
                span class=(class) { (value) }
            }
        }
    })
}

/// The query string of the page of hits `params` show: the query, its filters and its
/// offset. A hit's link carries it, so that the document's 返回检索结果 goes back to the
/// same filtered page, not to the query alone.
fn this_page(params: &Params) -> String {
    let offset = if params.offset > 0 {
        params.offset.to_string()
    } else {
        String::new()
    };
    params.link(&[("offset", offset)])
}

fn hit_markup(hit: &Hit, params: &Params) -> Markup {
    let href = format!("/doc/{}{}", format_id(hit.id), this_page(params));
    html! {
        article.hit {
            h2 { a href=(href) { (hit.title) } }
            @if let Some(facts) = facts_line(&hit.official) { p.facts { (facts) } }
            p.meta {
                @if let Some(year) = hit.year { span.year { (year) "年" } }
                span.path { (hit.path) }
            }
            p.snippet { (marked(&hit.snippet.text, &hit.snippet.highlights, None)) }
            (folded(&hit.copies, &hit.versions))
        }
    }
}

/// What a hit or a listed document stands for besides itself: how many copies and other
/// drafts, their paths on hover.
fn folded(copies: &[String], versions: &[String]) -> Markup {
    html! {
        @if !copies.is_empty() || !versions.is_empty() {
            p.folded {
                @if !copies.is_empty() { span.copies title=(copies.join("\n")) { "另有副本 " (copies.len()) " 份" } }
                @if !copies.is_empty() && !versions.is_empty() { "，" }
                @if !versions.is_empty() { span.versions title=(versions.join("\n")) { "其他稿本 " (versions.len()) " 份" } }
            }
        }
    }
}

/// The paths of a document's copies or versions, each a link to its own page.
fn path_links(paths: &[String]) -> Markup {
    html! {
        ul.paths {
            @for path in paths {
                li { a.path href=(format!("/doc/{}", format_id(crate::index::sync::document_id(path.as_bytes())))) { (path) } }
            }
        }
    }
}

/// `/`: the search box, and the hits of a query.
pub async fn search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(&pairs(raw.as_deref())) {
        Ok(params) => params,
        Err(message) => {
            let params = typed(&pairs(raw.as_deref()));
            return respond(
                StatusCode::BAD_REQUEST,
                page("检索", "/", search_form(&params, Some(&message))),
            );
        }
    };
    if params.q.is_empty() && (params.years.is_some() || facts_filtered(&params)) {
        // A filter alone is a listing (as on the command line): the list page, filtered.
        return Redirect::to(&format!("/list{}", params.link(&[("sort", String::new())]))).into_response();
    }
    if params.q.is_empty() {
        let intro = html! {
            (search_form(&params, None))
            p.hint {
                "中文按子串匹配（“族团”能找到“民族团结”），空格分隔的词须同时出现；"
                code { "A OR B" } " 任一，" code { "-词" } " 排除，" code { "\"短语\"" } " 精确短语，"
                code { "title:词" } " 只查标题。"
            }
        };
        return respond(StatusCode::OK, page("检索", "/", intro));
    }
    if let Err(message) = params.query() {
        return respond(
            StatusCode::BAD_REQUEST,
            page("检索", "/", search_form(&params, Some(&message))),
        );
    }
    let result = match run_search(&state, &params).await {
        Ok(result) => result,
        Err(_) => {
            let body = search_form(&params, Some("检索出错，请稍后再试"));
            return respond(StatusCode::INTERNAL_SERVER_ERROR, page("检索", "/", body));
        }
    };
    let shown_to = (params.offset + result.hits.len()).min(result.total);
    let body = html! {
        (search_form(&params, None))
        p #total.total data-total=(result.total) {
            "共 " strong { (result.total) } " 篇"
            @if result.total > 0 { "，第 " (params.offset + 1) "–" (shown_to) " 篇" }
        }
        @if !result.years.is_empty() {
            nav.facets aria-label="按年度" {
                @if params.years.is_some() {
                    a href=(params.link(&[("year", String::new()), ("from", String::new()), ("to", String::new())])) { "全部年度" }
                }
                @for (year, count) in &result.years {
                    @if let Some(year) = year {
                        @let current = params.years == Some((*year, *year));
                        a.year-count.current[current] href=(params.link(&[("year", year.to_string()), ("from", String::new()), ("to", String::new())])) {
                            (year) " (" (count) ")"
                        }
                    } @else {
                        span.year-count { "无年度 (" (count) ")" }
                    }
                }
            }
        }
        @for hit in &result.hits { (hit_markup(hit, &params)) }
        @if result.total == 0 { p.empty { "没有找到包含这些词的文档。" } }
        nav.pages {
            @if params.offset > 0 {
                a rel="prev" href=(params.link(&[("offset", params.offset.saturating_sub(params.n).to_string())])) { "← 上一页" }
            }
            @if shown_to < result.total {
                a rel="next" href=(params.link(&[("offset", shown_to.to_string())])) { "下一页 →" }
            }
        }
    };
    respond(StatusCode::OK, page(&params.q, "/", body))
}

/// `/doc/ID?q=`: the document's facts and its whole text, the query's terms marked.
pub async fn document(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let doc = match find_document(&state, &id).await {
        Ok(doc) => doc,
        Err(response) if response.status() == StatusCode::NOT_FOUND => return not_found(),
        Err(response) => return response,
    };
    let q = pairs(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .filter(|q| q.chars().count() <= super::params::MAX_QUERY_CHARS)
        .unwrap_or_default();
    // The page of hits the document was opened from (a hit's link carries its search).
    let search = Params::parse(&pairs(raw.as_deref())).unwrap_or_else(|_| Params {
        q: q.trim().to_string(),
        n: super::params::DEFAULT_N,
        ..Params::default()
    });
    let search = Some(search).filter(|s| !s.q.is_empty());
    let terms: Vec<String> = crate::query::parse(&q)
        .map(|query| query.positive_terms().map(|t| normalize(&t.text)).collect())
        .unwrap_or_default();
    let marks: Vec<(usize, usize)> = find_terms(&doc.text, &terms)
        .into_iter()
        .map(|(s, e, _)| (s, e))
        .collect();
    let title_marks: Vec<(usize, usize)> = find_terms(&doc.title, &terms)
        .into_iter()
        .map(|(s, e, _)| (s, e))
        .collect();
    let body = html! {
        h1 { (marked(&doc.title, &title_marks, None)) }
        dl.facts {
            dt { "路径" } dd.path { (doc.path) }
            @if let Some(number) = &doc.official.doc_number { dt { "发文字号" } dd.doc-number { (number) } }
            @if let Some(issuer) = &doc.official.issuer { dt { "发文机关" } dd.issuer { (issuer) } }
            @if let Some(date) = doc.official.date { dt { "成文日期" } dd.date { @let date = date.to_string(); time datetime=(date) { (date) } } }
            @if let Some(kind) = &doc.official.kind { dt { "文种" } dd.kind { (kind) } }
            @if let Some(secrecy) = &doc.official.secrecy { dt { "密级" } dd.secrecy { (secrecy) } }
            dt { "年度" } dd { @if let Some(y) = doc.year { (y) } @else { "无" } }
            @if let Some(source) = &doc.year_source { dt { "年度依据" } dd { (year_source_zh(source)) } }
            dt { "格式" } dd { (doc.format) }
            dt { "大小" } dd { (size_zh(doc.size)) }
            @if let Some(pages) = doc.official.pages { dt { "页数" } dd.pages { (pages) } }
            @if !doc.copies.is_empty() { dt { "副本" } dd.copies { (path_links(&doc.copies)) } }
            @if !doc.versions.is_empty() { dt { "其他稿本" } dd.versions { (path_links(&doc.versions)) } }
        }
        p.actions {
            a.download href=(format!("/file/{}", format_id(doc.id))) download { "下载原文件" }
            @if !marks.is_empty() {
                " · " a href="#m1" { "跳到第一处（共 " (marks.len()) " 处）" }
            }
            @if let Some(search) = &search { " · " a.back href=(format!("/{}", this_page(search))) { "返回检索结果" } }
        }
        article.text { (marked(&doc.text, &marks, Some("m1"))) }
    };
    respond(StatusCode::OK, page(&doc.title, "", body))
}

fn year_source_zh(source: &str) -> &'static str {
    match source {
        "title" => "标题",
        "filename" => "文件名",
        "signature" => "成文日期",
        "created" => "文档创建时间",
        _ => "其他",
    }
}

fn size_zh(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}

/// `/years`: a bar per report year, the years without documents between them marked.
pub async fn years(State(state): State<Shared>) -> Response {
    let counts = match blocking(&state, |s| s.searcher.year_counts()).await {
        Ok(Ok(counts)) => counts,
        Ok(Err(e)) => {
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                page("年度", "/years", html! { p.error { (e.to_string()) } }),
            );
        }
        Err(response) => return response,
    };
    let known: std::collections::BTreeMap<i32, u64> =
        counts.iter().filter_map(|&(y, n)| Some((y?, n))).collect();
    let most = counts.iter().map(|&(_, n)| n).max().unwrap_or(1).max(1);
    let bar = |n: u64| "█".repeat(((n as usize * 30).div_ceil(most as usize)).min(30));
    let rows: Vec<(i32, u64)> = match (known.keys().next(), known.keys().next_back()) {
        (Some(&first), Some(&last)) => (first..=last)
            .rev()
            .map(|y| (y, known.get(&y).copied().unwrap_or(0)))
            .collect(),
        _ => Vec::new(),
    };
    let none = counts.iter().find(|(y, _)| y.is_none()).map(|&(_, n)| n);
    let body = html! {
        h1 { "按年度" }
        table.years {
            thead { tr { th { "年度" } th { "文档数" } th { "" } } }
            tbody {
                @for (year, n) in &rows {
                    @if *n == 0 {
                        tr.gap { td { (year) } td { "0" } td { span.missing { "缺" } } }
                    } @else {
                        tr { td { a href=(format!("/list?year={year}")) { (year) } } td { (n) } td { span.bar { (bar(*n)) } } }
                    }
                }
                @if let Some(n) = none {
                    tr.none { td { "无年度" } td { (n) } td { span.bar { (bar(n)) } } }
                }
            }
        }
    };
    respond(StatusCode::OK, page("按年度", "/years", body))
}

/// `/series`: yearly reports with the years they miss, as `dangan series` shows them.
pub async fn series(State(state): State<Shared>) -> Response {
    let all = crate::index::search::Filter::default();
    let found = match blocking(&state, move |s| s.searcher.list(&all)).await {
        Ok(Ok(listed)) => crate::series::of_listed(listed),
        Ok(Err(e)) => {
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                page("系列", "/series", html! { p.error { (e.to_string()) } }),
            );
        }
        Err(response) => return response,
    };
    let body = html! {
        h1 { "年度系列" }
        @if found.is_empty() {
            p.empty { "没有跨年度重复出现的报告。" }
        }
        @for s in &found {
            section.series {
                h2 { (s.name) }
                p.summary {
                    (s.documents.len()) " 份"
                    @if !s.missing.is_empty() {
                        "，缺 "
                        span.missing-years { (s.missing.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、")) }
                        " 年"
                    }
                }
                @if let (Some(first), Some(last)) = (s.years.first(), s.years.last()) {
                    ol.series-years {
                        @for year in *first..=*last {
                            @let docs: Vec<_> = s.documents.iter().filter(|d| d.year == year).collect();
                            @if docs.is_empty() {
                                li.gap { span.year { (year) } " " span.missing { "缺" } }
                            } @else {
                                li.present {
                                    span.year { (year) } " "
                                    @for d in docs {
                                        a href=(format!("/doc/{}", format_id(d.id))) title=(d.path) { "■" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page("年度系列", "/series", body))
}

/// `/list?year=`: every document by report year.
pub async fn list(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(&pairs(raw.as_deref())) {
        Ok(params) => params,
        Err(message) => {
            let params = typed(&pairs(raw.as_deref()));
            let body = html! { h1 { "目录" } (list_form(&params, Some(&message))) };
            return respond(StatusCode::BAD_REQUEST, page("目录", "/list", body));
        }
    };
    let filter = params.filter();
    let listed = match blocking(&state, move |s| s.searcher.list(&filter)).await {
        Ok(Ok(listed)) => listed,
        Ok(Err(e)) => {
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                page("目录", "/list", html! { p.error { (e.to_string()) } }),
            );
        }
        Err(response) => return response,
    };
    let mut groups: Vec<(Option<i32>, Vec<&Listed>)> = Vec::new();
    for doc in &listed {
        match groups.last_mut() {
            Some((year, docs)) if *year == doc.year => docs.push(doc),
            _ => groups.push((doc.year, vec![doc])),
        }
    }
    let heading = match params.years {
        Some((from, to)) if from == to => format!("{from}年的文档"),
        Some(_) => "所选年度的文档".to_string(),
        None if facts_filtered(&params) => "符合筛选的文档".to_string(),
        None => "全部文档".to_string(),
    };
    let body = html! {
        h1 { (heading) }
        (list_form(&params, None))
        p #total.total { "共 " strong { (listed.len()) } " 篇" }
        @for (year, docs) in &groups {
            section.year-group {
                h2 { @if let Some(y) = year { (y) "年" } @else { "无年度" } " （" (docs.len()) " 篇）" }
                ul.listing {
                    @for doc in docs {
                        li {
                            a href=(format!("/doc/{}", format_id(doc.id))) { (doc.title) }
                            @if let Some(facts) = facts_line(&doc.official) { " " span.facts { (facts) } }
                            " " span.path { (doc.shown_path()) }
                            (folded(&doc.copies, &doc.versions))
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(&heading, "/list", body))
}

/// `/status`: the index, its roots and their last sync, and the files that could not be read.
pub async fn status(State(state): State<Shared>) -> Response {
    let status = match blocking(&state, |s| crate::index::status::status(&s.dir)).await {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                page("状态", "/status", html! { p.error { (e.to_string()) } }),
            );
        }
        Err(response) => return response,
    };
    let body = html! {
        h1 { "索引状态" }
        dl.facts {
            dt { "索引" } dd.path { (status.index) " (" (format!("{:.1}", status.size_bytes as f64 / 1e6)) " MB)" }
            dt { "文档" } dd #documents { (status.documents) " 篇" }
            dt { "格式" } dd { @for (format, n) in &status.formats { span.format { (format) " " (n) } " " } }
        }
        @if let Some(watch) = &state.watch {
            @let last = watch.last_sync.load(std::sync::atomic::Ordering::Relaxed);
            p #watch {
                "自动同步已开启（--watch）："
                @if last > 0 { "最近一次 " (crate::date::utc_label(last)) } @else { "正在进行第一次同步" }
            }
        }
        h2 { "文件夹" }
        table.roots {
            thead { tr { th { "文件夹" } th { "文档数" } th { "最近同步" } } }
            tbody {
                @for root in &status.roots {
                    tr { td.path { (root.path) } td { (root.documents) } td { (root.last_sync.as_deref().unwrap_or("尚未完成")) } }
                }
            }
        }
        h2 { "未能读取的文件（" (status.skipped.len()) "）" }
        @if status.skipped.is_empty() {
            p { "无" }
        } @else {
            ul.skipped { @for row in &status.skipped { li { span.path { (row.path) } "：" (row.reason) } } }
        }
        @if status.scanned > 0 {
            p #scanned { "其中扫描件（PDF 无文字层，需要 OCR）：" strong { (status.scanned) } " 个" }
        }
    };
    respond(StatusCode::OK, page("状态", "/status", body))
}

/// `GET /login`.
pub async fn login_form() -> Response {
    respond(StatusCode::OK, login_page(None))
}

fn login_page(message: Option<&str>) -> Markup {
    page(
        "登录",
        "",
        html! {
            h1 { "登录" }
            form.login method="post" action="/login" {
                label { "密码 " input type="password" name="password" autofocus autocomplete="current-password"; }
                button type="submit" { "登录" }
                @if let Some(message) = message { p.error role="alert" { (message) } }
            }
        },
    )
}

/// The login form's fields.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    password: String,
}

/// `POST /login`: a right password sets the session cookie.
pub async fn login(State(state): State<Shared>, Form(form): Form<LoginForm>) -> Response {
    let Some(login) = &state.login else {
        return Redirect::to("/").into_response();
    };
    if login.password_matches(&form.password) {
        let mut response = Redirect::to("/").into_response();
        if let Ok(cookie) = HeaderValue::from_str(&login.set_cookie()) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        response
    } else {
        respond(StatusCode::UNAUTHORIZED, login_page(Some("密码不对")))
    }
}
