//! The library's modules import one way only: no module uses (directly or through
//! others) a module that uses it. Checked from the source, so a new circle fails here
//! with the modules that make it.
//!
//! A reference is any `crate::…` or `super::…` path outside comments and `#[cfg(test)]`
//! modules. A module using its own parent or child is containment, not an import (a
//! parent's shared types, its dispatch to the child readers); every other reference is an
//! edge between the two siblings, under their nearest common parent, that hold the two
//! modules. Each parent's sibling graph must be acyclic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`["extract", "docx"]`) of every library source file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            if parts == ["main"] {
                continue; // the binary is its own crate
            }
            out.insert(parts, std::fs::read_to_string(&path).expect("read source"));
        }
    }
    out
}

/// The source without comments and without its `#[cfg(test)]` module.
fn code_of(source: &str) -> String {
    let cut = source.find("#[cfg(test)]\nmod ").unwrap_or(source.len());
    source[..cut]
        .lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path the code names through `crate::` or `super::`, braces expanded one level.
fn paths_named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let is_path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at..];
            let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
            let prefix = rest[..end].trim_end_matches(':').to_string();
            if rest[end..].starts_with('{') {
                let close = rest[end..].find('}').map_or(rest.len(), |c| end + c);
                for item in rest[end + 1..close].split(',') {
                    let item = item.trim().split(" as ").next().unwrap_or("").trim();
                    if item.is_empty() || item == "self" {
                        out.push(prefix.clone());
                    } else {
                        out.push(format!("{prefix}::{item}"));
                    }
                }
            } else {
                out.push(prefix);
            }
        }
    }
    out
}

/// The module a path names, as the deepest existing module it starts with.
fn resolve(from: &[String], path: &str, known: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<String> = match segments.first() {
        Some(&"crate") => {
            segments.remove(0);
            Vec::new()
        }
        _ => from.to_vec(),
    };
    while segments.first() == Some(&"super") {
        segments.remove(0);
        base.pop();
    }
    for segment in segments {
        let mut next = base.clone();
        next.push(segment.to_string());
        if !known.contains(&next) {
            break;
        }
        base = next;
    }
    base
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    // parent → (child → children it uses)
    let mut levels: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut why: BTreeMap<(Vec<String>, String, String), String> = BTreeMap::new();
    for (module, source) in &modules {
        for path in paths_named(&code_of(source)) {
            let target = resolve(module, &path, &known);
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common == module.len() || common == target.len() {
                continue; // self, parent or child
            }
            let parent = module[..common].to_vec();
            let (a, b) = (module[common].clone(), target[common].clone());
            why.entry((parent.clone(), a.clone(), b.clone()))
                .or_insert_with(|| format!("{} names {path}", module.join("::")));
            levels.entry(parent).or_default().entry(a).or_default().insert(b);
        }
    }
    let mut circles = Vec::new();
    for (parent, graph) in &levels {
        // A circle is an edge a → b with a path back from b to a.
        for (a, targets) in graph {
            for b in targets {
                let mut seen = BTreeSet::new();
                let mut stack = vec![b.clone()];
                let mut back = false;
                while let Some(n) = stack.pop() {
                    if n == *a {
                        back = true;
                        break;
                    }
                    if seen.insert(n.clone()) {
                        stack.extend(graph.get(&n).into_iter().flatten().cloned());
                    }
                }
                if back {
                    let reason = &why[&(parent.clone(), a.clone(), b.clone())];
                    circles.push(format!("under `{}`: {a} → {b} ({reason})", parent.join("::")));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other:\n{}",
        circles.join("\n")
    );
    // The checker sees the library at all.
    assert!(levels.get(&Vec::new()).is_some_and(|g| g.contains_key("cmd")));
}
