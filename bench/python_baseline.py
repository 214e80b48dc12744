#!/usr/bin/env python3
"""The afternoon-script baseline dangan is compared with: python-docx reads each DOCX
(paragraphs and table cells), jieba cuts the text in search mode, and Whoosh or
tantivy's Python binding indexes it. No title rules, no report years, no exact matching.

    python3 bench/python_baseline.py index  --engine tantivy CORPUS INDEX_DIR
    python3 bench/python_baseline.py search --engine tantivy INDEX_DIR QUERY...

Needs: pip install python-docx jieba whoosh tantivy
`index` prints one line: documents, seconds, documents per second. `search` prints the
top 20 paths with titles, like `dangan search`.
"""

import argparse
import os
import sys
import time

import docx
import jieba

jieba.setLogLevel(60)


def docx_text(path):
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def documents(corpus):
    for root, _dirs, files in os.walk(corpus):
        for name in sorted(files):
            if name.lower().endswith(".docx") and not name.startswith("~$"):
                yield os.path.join(root, name)


def segmented(text):
    return " ".join(w for w in jieba.cut_for_search(text) if w.strip())


def index_tantivy(corpus, out):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body", stored=True)
    schema = builder.build()
    os.makedirs(out, exist_ok=True)
    index = tantivy.Index(schema, path=out)
    writer = index.writer(heap_size=256 * 1024 * 1024)
    n = 0
    for path in documents(corpus):
        try:
            text = docx_text(path)
        except Exception as e:  # a broken file must not stop the run
            print(f"skipped {path}: {e}", file=sys.stderr)
            continue
        title = next((line for line in text.splitlines() if line.strip()), "")
        writer.add_document(
            tantivy.Document(path=path, title=segmented(title), body=segmented(text))
        )
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    return n


def search_tantivy(index_dir, query):
    import tantivy

    index = tantivy.Index.open(index_dir)
    searcher = index.searcher()
    q = index.parse_query(segmented(query), ["title", "body"])
    for _score, address in searcher.search(q, 20).hits:
        doc = searcher.doc(address)
        print(doc["path"][0], doc["title"][0].replace(" ", ""))


def index_whoosh(corpus, out):
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index as windex
    from whoosh.fields import ID, TEXT, Schema

    analyzer = ChineseAnalyzer()
    schema = Schema(path=ID(stored=True), title=TEXT(stored=True, analyzer=analyzer), body=TEXT(analyzer=analyzer))
    os.makedirs(out, exist_ok=True)
    ix = windex.create_in(out, schema)
    writer = ix.writer(limitmb=256)
    n = 0
    for path in documents(corpus):
        try:
            text = docx_text(path)
        except Exception as e:
            print(f"skipped {path}: {e}", file=sys.stderr)
            continue
        title = next((line for line in text.splitlines() if line.strip()), "")
        writer.add_document(path=path, title=title, body=text)
        n += 1
    writer.commit()
    return n


def search_whoosh(index_dir, query):
    from whoosh import index as windex
    from whoosh.qparser import MultifieldParser

    ix = windex.open_dir(index_dir)
    with ix.searcher() as searcher:
        q = MultifieldParser(["title", "body"], ix.schema).parse(query)
        for hit in searcher.search(q, limit=20):
            print(hit["path"], hit["title"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["index", "search"])
    ap.add_argument("--engine", choices=["tantivy", "whoosh"], default="tantivy")
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()
    if a.command == "index":
        corpus, out = a.args
        start = time.time()
        n = {"tantivy": index_tantivy, "whoosh": index_whoosh}[a.engine](corpus, out)
        secs = time.time() - start
        print(f"{a.engine}: {n} documents in {secs:.1f} s ({n / secs:.0f} docs/s)")
    else:
        index_dir, *query = a.args
        {"tantivy": search_tantivy, "whoosh": search_whoosh}[a.engine](index_dir, " ".join(query))


if __name__ == "__main__":
    main()
