//! `dangan serve` in a real browser: Debian's headless chromium, driven through
//! chromedriver (fantoccini), against the real binary serving the sample archive plus a
//! hostile document. Types a Chinese query, sees hits and highlights, opens a document,
//! downloads its file and compares the bytes, and checks a document's `<script>` runs
//! nothing; and filters by the official-document facts through the form (更多筛选: a kind
//! ticked, a date typed), sees only the hits asked for with their facts, and the form
//! keeping what was asked; and a report's drafts shown as one hit whose page links each
//! other draft. Screenshots land in `target/screenshots/`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium chromium-driver`, and a CJK font
//! such as `fonts-wqy-microhei` for readable screenshots). Without them the test says so and
//! skips, unless `DANGAN_REQUIRE_BROWSER` is set (`.ci/run` sets it and installs them): then
//! it fails.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

const HOSTILE: &str =
    "<script>window.__ran = 1; alert(1)</script><img src=x onerror=\"window.__ran = 1\">恶意文档示例";

/// A child process killed with its whole process group when dropped (also on panic).
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_group(command: &mut Command) -> std::io::Result<Group> {
    use std::os::unix::process::CommandExt;
    command.process_group(0).spawn().map(Group)
}

fn find_chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("chromedriver"))
        .chain([PathBuf::from("/usr/bin/chromedriver")])
        .find(|p| p.is_file())
}

fn free_port() -> Res<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

/// chromedriver on a free port, its temp files in `tmp`.
async fn start_chromedriver(bin: &Path, tmp: &Path) -> Res<(Group, u16)> {
    let port = free_port()?;
    let mut driver = spawn_group(
        Command::new(bin)
            .arg(format!("--port={port}"))
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null()),
    )?;
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if let Some(status) = driver.0.try_wait()? {
            return Err(format!("chromedriver exited early: {status}").into());
        }
        if Instant::now() > deadline {
            return Err("chromedriver did not listen within 15 s".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((driver, port))
}

/// `dangan serve` on a free loopback port; its base URL, read from what it says.
fn start_dangan(index: &Path) -> Res<(Group, String)> {
    let mut server = spawn_group(
        Command::new(env!("CARGO_BIN_EXE_dangan"))
            .args(["serve", "--index"])
            .arg(index)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    )?;
    let stderr = server.0.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let line = lines.next().ok_or("dangan serve said nothing")??;
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or_else(|| format!("no address in {line:?}"))?
        .trim_end_matches('/')
        .to_string();
    // Keep draining its stderr so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok((server, url))
}

fn capabilities(downloads: &Path) -> fantoccini::wd::Capabilities {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1280,1000",
                "--lang=zh-CN",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            },
        },
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

fn screenshots() -> PathBuf {
    // CARGO_TARGET_TMPDIR is target/tmp: the screenshots go beside it.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

/// chromedriver, or `None` to skip the test: without it the test says so and passes,
/// unless `DANGAN_REQUIRE_BROWSER` is set, when it fails.
fn chromedriver_or_skip() -> Option<PathBuf> {
    let found = find_chromedriver();
    if found.is_none() {
        if std::env::var_os("DANGAN_REQUIRE_BROWSER").is_some() {
            panic!(
                "chromedriver not found and DANGAN_REQUIRE_BROWSER is set (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!("skipped: no chromedriver (apt-get install chromium chromium-driver fonts-wqy-microhei)");
    }
    found
}

/// Serves `index` with the real binary, opens a fresh headless chromium (downloads to
/// `downloads`) and runs `scenario` with the browser and the server's base URL, within 90 s.
async fn in_chromium<F, Fut>(chromedriver: &Path, index: &Path, downloads: &Path, scenario: F) -> Res
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Res>,
{
    let (_server, base) = start_dangan(index)?;
    let tmp = tempfile::tempdir()?;
    let (_driver, port) = start_chromedriver(chromedriver, tmp.path()).await?;
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities(downloads))
        .connect(&format!("http://127.0.0.1:{port}"))
        .await?;
    let outcome = tokio::time::timeout(Duration::from_secs(90), scenario(client.clone(), base))
        .await
        .unwrap_or_else(|_| Err("the browser scenario took over 90 s".into()));
    let _ = client.close().await;
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_open_download_and_a_hostile_document_in_chromium() -> Res {
    let Some(chromedriver) = chromedriver_or_skip() else {
        return Ok(());
    };
    let hostile_root = tempfile::tempdir()?;
    let escaped = HOSTILE
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Docx::new(&p(&escaped)).write_to(&hostile_root.path().join("恶意文档.docx"));
    let archive = fixtures().join("archive");
    let index = build_index(&[&archive, hostile_root.path()]);
    let downloads = tempfile::tempdir()?;
    let (index_path, downloads_path) = (index.path(), downloads.path());
    in_chromium(&chromedriver, index_path, downloads_path, |c, base| async move {
        scenario(&c, &base, index_path, downloads_path).await
    })
    .await
}

async fn scenario(c: &Client, base: &str, index: &Path, downloads: &Path) -> Res {
    let wait = Duration::from_secs(15);
    let shots = screenshots();
    std::fs::create_dir_all(&shots)?;

    // Type a Chinese query and submit it.
    c.goto(&format!("{base}/")).await?;
    assert_eq!(
        c.find(Locator::Css("html")).await?.attr("lang").await?.as_deref(),
        Some("zh-CN")
    );
    c.find(Locator::Css("input[name=q]"))
        .await?
        .send_keys("民族团结 宣传月")
        .await?;
    c.find(Locator::Css("button[type=submit]")).await?.click().await?;
    c.wait().at_most(wait).for_element(Locator::Css(".hit")).await?;

    // The hits: as many as the CLI finds, terms marked.
    let cli = json_lines(&dangan(&[
        "search",
        "--index",
        index.to_str().unwrap_or_default(),
        "--json",
        "-n",
        "20",
        "民族团结 宣传月",
    ]));
    let hits = c.find_all(Locator::Css(".hit")).await?;
    assert_eq!(hits.len(), cli.len());
    let total = c.find(Locator::Id("total")).await?.text().await?;
    assert!(total.contains(&cli.len().to_string()), "{total}");
    let mut marks = Vec::new();
    for mark in c.find_all(Locator::Css(".hit mark")).await? {
        marks.push(mark.text().await?);
    }
    assert!(
        marks.iter().any(|m| m == "民族团结" || m == "宣传月"),
        "{marks:?}"
    );
    let first_title = hits[0].find(Locator::Css("h2 a")).await?.text().await?;
    assert_eq!(first_title, cli[0]["title"].as_str().unwrap_or_default());
    std::fs::write(shots.join("search.png"), c.screenshot().await?)?;

    // Open the first hit: its text, the terms marked, a jump to the first one.
    hits[0].find(Locator::Css("h2 a")).await?.click().await?;
    c.wait()
        .at_most(wait)
        .for_element(Locator::Css("article.text"))
        .await?;
    let first = c.find(Locator::Id("m1")).await?.text().await?;
    assert!(first == "民族团结" || first == "宣传月", "{first}");
    c.find(Locator::Css("a[href='#m1']")).await?.click().await?;
    assert!(c.current_url().await?.as_str().ends_with("#m1"));
    std::fs::write(shots.join("document.png"), c.screenshot().await?)?;

    // Download the original file: the same bytes as on disk, under its own name.
    let original = PathBuf::from(cli[0]["path"].as_str().unwrap_or_default());
    let name = original.file_name().ok_or("no file name")?.to_os_string();
    c.find(Locator::Css("a.download")).await?.click().await?;
    let target = downloads.join(&name);
    let deadline = Instant::now() + wait;
    while !target.is_file() {
        if Instant::now() > deadline {
            let seen: Vec<_> = std::fs::read_dir(downloads)?
                .flatten()
                .map(|e| e.file_name())
                .collect();
            return Err(format!("no {name:?} downloaded within 15 s; saw {seen:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(std::fs::read(&target)?, std::fs::read(&original)?);

    // A document whose text is a script: shown as text, never run.
    c.goto(&format!("{base}/?q=%E6%81%B6%E6%84%8F%E6%96%87%E6%A1%A3"))
        .await?;
    c.wait().at_most(wait).for_element(Locator::Css(".hit")).await?;
    assert!(
        c.get_alert_text().await.is_err(),
        "an alert is open on the results"
    );
    c.find(Locator::Css(".hit h2 a")).await?.click().await?;
    c.wait()
        .at_most(wait)
        .for_element(Locator::Css("article.text"))
        .await?;
    assert!(
        c.get_alert_text().await.is_err(),
        "an alert is open on the document"
    );
    let ran = c.execute("return window.__ran === 1", vec![]).await?;
    assert_eq!(ran, serde_json::Value::Bool(false), "the document's script ran");
    let shown = c.find(Locator::Css("article.text")).await?.text().await?;
    assert!(
        shown.contains("<script>window.__ran = 1; alert(1)</script>"),
        "{shown}"
    );
    assert!(
        c.find_all(Locator::Css("article.text script, article.text img"))
            .await?
            .is_empty()
    );
    Ok(())
}

/// A DOCX of `lines`, one paragraph each, the line equal to `title` centred (a title typed
/// by hand), the red head and the signature plain.
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

const NOTICE: &str = "关于开展汛前安全检查的通知";
const STOCK: &str = "关于做好防汛物资储备工作的通知";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_by_kind_and_date_in_chromium() -> Res {
    let Some(chromedriver) = chromedriver_or_skip() else {
        return Ok(());
    };
    // Four documents about 防汛: two 通知 (one red-headed with a number), a 决定 and a 总结.
    let root = tempfile::tempdir()?;
    let docs: [(&str, &str, &[&str]); 4] = [
        (
            "汛前检查通知.docx",
            NOTICE,
            &[
                "青山镇人民政府文件",
                "青政发〔2023〕12号",
                NOTICE,
                "各村（社区）：",
                "为做好今年防汛工作，经研究，决定开展汛前安全检查。",
                "青山镇人民政府",
                "2023年4月6日",
            ],
        ),
        (
            "物资储备通知.docx",
            STOCK,
            &[
                STOCK,
                "各村（社区）：",
                "请各村做好防汛物资储备，确保汛期安全。",
                "青山镇应急管理办公室",
                "2023年5月20日",
            ],
        ),
        (
            "表彰决定.docx",
            "关于表彰防汛工作先进集体的决定",
            &[
                "中共青山镇委员会文件",
                "青党发〔2023〕3号",
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
    ];
    for (file, title, lines) in docs {
        official_docx(title, lines).write_to(&root.path().join(file));
    }
    let index = build_index(&[root.path()]);
    let downloads = tempfile::tempdir()?;
    let index_path = index.path();
    in_chromium(
        &chromedriver,
        index_path,
        downloads.path(),
        |c, base| async move { filters_scenario(&c, &base, index_path).await },
    )
    .await
}

/// Clicks the search button and waits until the browser is at a URL containing `expected`.
async fn submit_and_wait(c: &Client, expected: &str) -> Res {
    c.find(Locator::Css("form.search .box button[type=submit]"))
        .await?
        .click()
        .await?;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await?;
        if url.as_str().contains(expected) && c.find(Locator::Css("input[name=q]")).await.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no page with {expected:?} within 15 s: at {url}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The titles of the hits on the page, in order.
async fn hit_titles(c: &Client) -> Res<Vec<String>> {
    let mut titles = Vec::new();
    for hit in c.find_all(Locator::Css(".hit")).await? {
        titles.push(hit.find(Locator::Css("h2 a")).await?.text().await?);
    }
    Ok(titles)
}

async fn filters_scenario(c: &Client, base: &str, index: &Path) -> Res {
    let shots = screenshots();
    std::fs::create_dir_all(&shots)?;
    let kind = |k: &str| format!("input[name=kind][value='{k}']");

    // Type a query; 更多筛选 is closed, its fields hidden until it is opened.
    c.goto(&format!("{base}/")).await?;
    c.find(Locator::Css("input[name=q]"))
        .await?
        .send_keys("防汛")
        .await?;
    let more = c.find(Locator::Css("details.more")).await?;
    assert_eq!(more.attr("open").await?, None);
    let notice = c.find(Locator::Css(&kind("通知"))).await?;
    assert!(
        !notice.is_displayed().await?,
        "the kinds show before 更多筛选 is opened"
    );
    more.find(Locator::Css("summary")).await?.click().await?;
    assert!(notice.is_displayed().await?, "更多筛选 did not open");
    notice.click().await?;
    assert!(notice.is_selected().await?);
    submit_and_wait(c, "kind=").await?;

    // Only 通知, as the CLI finds them, each with its facts.
    let cli = json_lines(&dangan(&[
        "search",
        "--index",
        index.to_str().unwrap_or_default(),
        "--json",
        "--kind",
        "通知",
        "防汛",
    ]));
    let mut want: Vec<String> = cli
        .iter()
        .filter_map(|r| r["title"].as_str().map(str::to_string))
        .collect();
    let mut titles = hit_titles(c).await?;
    assert_eq!(titles.len(), 2, "{titles:?}");
    want.sort();
    titles.sort();
    assert_eq!(titles, want);
    for hit in c.find_all(Locator::Css(".hit")).await? {
        let title = hit.find(Locator::Css("h2 a")).await?.text().await?;
        assert_eq!(
            hit.find(Locator::Css(".facts .kind")).await?.text().await?,
            "通知",
            "{title}"
        );
        let date = hit.find(Locator::Css(".facts .date")).await?.text().await?;
        let facts = hit.find(Locator::Css(".facts")).await?.text().await?;
        if title == NOTICE {
            assert_eq!(date, "2023-04-06");
            assert_eq!(
                hit.find(Locator::Css(".facts .doc-number")).await?.text().await?,
                "青政发〔2023〕12号"
            );
            assert_eq!(facts, "青政发〔2023〕12号 · 青山镇人民政府 · 2023-04-06 · 通知");
        } else {
            assert_eq!(date, "2023-05-20");
            assert!(
                hit.find_all(Locator::Css(".doc-number")).await?.is_empty(),
                "{title}"
            );
            assert_eq!(facts, "青山镇应急管理办公室 · 2023-05-20 · 通知");
        }
    }
    // The form keeps what was asked: the query, the kind ticked, 更多筛选 open.
    assert_eq!(
        c.find(Locator::Css("input[name=q]"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("防汛")
    );
    assert!(c.find(Locator::Css(&kind("通知"))).await?.is_selected().await?);
    assert!(!c.find(Locator::Css(&kind("决定"))).await?.is_selected().await?);
    let more = c.find(Locator::Css("details.more")).await?;
    assert!(more.attr("open").await?.is_some(), "更多筛选 closed after submit");
    std::fs::write(shots.join("search-filters.png"), c.screenshot().await?)?;

    // A date as well: from May on, only the second 通知; both filters kept.
    c.find(Locator::Css("input[name=date_from]"))
        .await?
        .send_keys("2023-05")
        .await?;
    submit_and_wait(c, "date_from=2023-05").await?;
    assert_eq!(hit_titles(c).await?, [STOCK]);
    assert_eq!(
        c.find(Locator::Css("input[name=date_from]"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("2023-05")
    );
    assert!(c.find(Locator::Css(&kind("通知"))).await?.is_selected().await?);

    // A bad date: the message beside the form, the values kept to correct it.
    let date_from = c.find(Locator::Css("input[name=date_from]")).await?;
    date_from.clear().await?;
    date_from.send_keys("2023-13").await?;
    submit_and_wait(c, "date_from=2023-13").await?;
    let alert = c.find(Locator::Css("[role=alert]")).await?.text().await?;
    assert!(alert.contains("date_from: `2023-13` is not a date"), "{alert}");
    assert!(hit_titles(c).await?.is_empty());
    assert_eq!(
        c.find(Locator::Css("input[name=date_from]"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("2023-13")
    );
    assert!(c.find(Locator::Css(&kind("通知"))).await?.is_selected().await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_fold_into_one_hit_in_chromium() -> Res {
    let Some(chromedriver) = chromedriver_or_skip() else {
        return Ok(());
    };
    let (_tmp, root) = copy_tree(&fixtures().join("versions"), &VERSIONS);
    let index = build_index(&[&root]);
    let downloads = tempfile::tempdir()?;
    in_chromium(
        &chromedriver,
        index.path(),
        downloads.path(),
        |c, base| async move { versions_scenario(&c, &base).await },
    )
    .await
}

/// A query every draft matches: one hit for the drafts, saying how many it stands for;
/// its page lists the other drafts, and one click opens a draft's own page.
async fn versions_scenario(c: &Client, base: &str) -> Res {
    let wait = Duration::from_secs(15);
    c.goto(&format!("{base}/")).await?;
    c.find(Locator::Css("input[name=q]"))
        .await?
        .send_keys("美丽庭院")
        .await?;
    c.find(Locator::Css("button[type=submit]")).await?.click().await?;
    c.wait().at_most(wait).for_element(Locator::Css(".hit")).await?;
    let mut drafts = Vec::new();
    for hit in c.find_all(Locator::Css(".hit")).await? {
        let text = hit.text().await?;
        if text.contains("东山村2023年人居环境整治工作总结") {
            drafts.push(hit);
        }
    }
    assert_eq!(drafts.len(), 1, "the drafts are one hit");
    let hit = &drafts[0];
    let folded = hit.find(Locator::Css(".folded")).await?.text().await?;
    assert!(folded.contains("其他稿本 3 份"), "{folded}");
    assert!(
        hit.text().await?.contains("（定稿）.docx"),
        "the final heads them"
    );
    std::fs::create_dir_all(screenshots())?;
    std::fs::write(screenshots().join("versions-hits.png"), c.screenshot().await?)?;

    hit.find(Locator::Css("h2 a")).await?.click().await?;
    c.wait()
        .at_most(wait)
        .for_element(Locator::Css("dd.versions"))
        .await?;
    let links = c.find_all(Locator::Css("dd.versions a")).await?;
    assert_eq!(links.len(), 3);
    let mut draft_link = None;
    for link in links {
        if link.text().await?.contains("（初稿）") {
            draft_link = Some(link);
        }
    }
    draft_link.ok_or("no link to the first draft")?.click().await?;
    c.wait()
        .at_most(wait)
        .for_element(Locator::XPath(
            "//dd[contains(@class,'path')][contains(.,'（初稿）')]",
        ))
        .await?;
    let versions = c.find(Locator::Css("dd.versions")).await?.text().await?;
    assert!(
        versions.contains("（定稿）"),
        "the draft's page links back to the final: {versions}"
    );
    Ok(())
}
