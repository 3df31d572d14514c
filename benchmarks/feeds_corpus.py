#!/usr/bin/env python3
"""Real-world-shaped feeds for benchmarks/feeds.sh, and feedparser's side of the comparison.

  feeds_corpus.py generate DIR [--items N] [--seed S]   writes rss.xml, atom.xml and feed.json (1 MB+ each)
                                                        and expected.txt, the ids each holds
  feeds_corpus.py feedparser IDS-OUT FILE...            times feedparser on each file (as FeedsBenchmark does)
  feeds_corpus.py compare OURS THEIRS                   whether both found the same items, with the same ids
"""
import html
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone

WORDS = ("flour water salt levain crumb crust oven proof fold shape score bake rye spelt butter sugar "
         "morning market counter order customer season winter loaf bun tart pastry dough starter "
         "hydration steam bench rest cool slice share coffee table kitchen recipe").split()


def sentence(rng, low=6, high=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def article_html(rng, slug):
    # WordPress/Gutenberg-shaped body: paragraphs, headings, images, links, lists, entities.
    parts = []
    for section in range(rng.randint(3, 6)):
        parts.append(f'<h2 class="wp-block-heading" id="section-{section}">{sentence(rng, 2, 5)}</h2>')
        for _ in range(rng.randint(2, 4)):
            text = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
            parts.append(f'<p>{text} See <a href="https://bakery.example/{slug}/#s{section}">the notes</a> &amp; '
                         f'<em>our</em> &#8220;recipe&#8221;&nbsp;&#8212; {rng.randint(1, 99)}&nbsp;%.</p>')
        if rng.random() < 0.5:
            parts.append(f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" '
                         f'src="https://bakery.example/wp-content/uploads/2026/{slug}-1024x683.jpg" alt="{sentence(rng, 3, 6)}" '
                         f'class="wp-image-{rng.randint(1000, 9999)}"/></figure>')
        if rng.random() < 0.3:
            parts.append("<ul>" + "".join(f"<li>{sentence(rng, 3, 8)}</li>" for _ in range(rng.randint(2, 5))) + "</ul>")
    return "\n".join(parts)


def items(rng, count):
    start = datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)
    for n in range(count):
        slug = f"post-{n}-" + "-".join(rng.choice(WORDS) for _ in range(3))
        yield {
            "n": n,
            "slug": slug,
            "title": sentence(rng, 3, 9)[:-1] + rng.choice(["", " &amp; more", " &#8211; part 2", "&#8217;s best"]),
            "date": start - timedelta(hours=7 * n, minutes=rng.randint(0, 59)),
            "author": rng.choice(["Maya Okafor", "Sam Reyes", "Priya N.", "Jonas Weber"]),
            "categories": rng.sample(["Bread", "Pastry", "News", "Recipes", "Behind the counter", "Events"], rng.randint(1, 3)),
            "summary": sentence(rng, 20, 40),
            "body": article_html(rng, slug),
        }


def rss(rng, count):
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:wfw="http://wellformedweb.org/CommentAPI/">',
           "<channel><title>Crumb &amp; Co. Bakery</title>",
           '<atom:link href="https://bakery.example/feed/" rel="self" type="application/rss+xml" />',
           "<link>https://bakery.example</link><description>Bread, pastry and the people who bake them</description>"]
    for item in items(rng, count):
        categories = "".join(f"<category><![CDATA[{c}]]></category>" for c in item["categories"])
        out.append(f"""
	<item>
		<title>{item["title"]}</title>
		<link>https://bakery.example/2026/{item["slug"]}/</link>
		<dc:creator><![CDATA[{item["author"]}]]></dc:creator>
		<pubDate>{item["date"].strftime("%a, %d %b %Y %H:%M:%S +0000")}</pubDate>
		{categories}
		<guid isPermaLink="false">https://bakery.example/?p={10000 + item["n"]}</guid>
		<description><![CDATA[<p>{item["summary"]}</p>]]></description>
		<content:encoded><![CDATA[{item["body"]}]]></content:encoded>
		<wfw:commentRss>https://bakery.example/2026/{item["slug"]}/feed/</wfw:commentRss>
	</item>""")
    out.append("</channel></rss>\n")
    return "".join(out)


def atom(rng, count):
    out = ["<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
           "xmlns:media='http://search.yahoo.com/mrss/'><id>tag:blogger.com,1999:blog-7345</id>"
           "<title type='text'>Flour on the Floor</title><link rel='alternate' type='text/html' href='https://flour.example/'/>"
           "<author><name>Priya N.</name></author>"]
    for item in items(rng, count):
        date = item["date"].strftime("%Y-%m-%dT%H:%M:%S.000-00:00")
        categories = "".join(f"<category scheme='http://www.blogger.com/atom/ns#' term='{c}'/>" for c in item["categories"])
        out.append(f"<entry><id>tag:blogger.com,1999:blog-7345.post-{item['n']}</id><published>{date}</published>"
                   f"<updated>{date}</updated>{categories}<title type='text'>{item['title']}</title>"
                   f"<content type='html'>{html.escape(item['body'], quote=False)}</content>"
                   f"<link rel='replies' type='text/html' href='https://flour.example/{item['slug']}.html#comment-form'/>"
                   f"<link rel='alternate' type='text/html' href='https://flour.example/{item['slug']}.html'/>"
                   f"<author><name>{item['author']}</name></author>"
                   f"<media:thumbnail url='https://flour.example/img/{item['slug']}.jpg' height='72' width='72'/></entry>")
    out.append("</feed>\n")
    return "".join(out)


def json_feed(rng, count):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Crumb & Co. Notes",
        "home_page_url": "https://notes.example/",
        "feed_url": "https://notes.example/feed.json",
        "authors": [{"name": "Maya Okafor"}],
        "items": [{
            "id": f"https://notes.example/{item['slug']}",
            "url": f"https://notes.example/{item['slug']}",
            "title": html.unescape(item["title"]),
            "content_html": item["body"],
            "summary": item["summary"],
            "date_published": item["date"].isoformat(),
            "tags": item["categories"],
            "authors": [{"name": item["author"]}],
        } for item in items(rng, count)],
    }
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"


def generate(directory, count, seed):
    expected = []
    for name, make, id_of in (
        ("rss.xml", rss, lambda item: f"https://bakery.example/?p={10000 + item['n']}"),
        ("atom.xml", atom, lambda item: f"tag:blogger.com,1999:blog-7345.post-{item['n']}"),
        ("feed.json", json_feed, lambda item: f"https://notes.example/{item['slug']}"),
    ):
        with open(f"{directory}/{name}", "w", encoding="utf-8") as f:
            f.write(make(random.Random(seed), count))
        expected += [f"{name}\t{id_of(item)}" for item in items(random.Random(seed), count)]
    # The ids each file holds, in order: what a reader must find.
    with open(f"{directory}/expected.txt", "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in expected))


def run_feedparser(ids_out, paths):
    import feedparser
    lines = []
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        name = path.rsplit("/", 1)[-1]
        feed = feedparser.parse(data)
        rounds, started = 0, time.perf_counter()
        while rounds < 2 or time.perf_counter() - started < 1:
            feed = feedparser.parse(data)
            rounds += 1
        seconds = time.perf_counter() - started
        entries = feed.entries
        print(name, f"{len(data) / 1e6 * rounds / seconds:.2f}", f"{len(entries) * rounds / seconds:.0f}", len(entries))
        lines += [f"{name}\t{entry.get('id', '')}" for entry in entries]
    with open(ids_out, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))


def compare(ours_path, theirs_path, other="feedparser"):
    def read(path):
        found = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                name, _, item = line.rstrip("\n").partition("\t")
                found.setdefault(name, []).append(item)
        return found
    ours, theirs = read(ours_path), read(theirs_path)
    same = True
    for name in sorted(set(ours) | set(theirs)):
        a, b = ours.get(name, []), theirs.get(name, [])
        verdict = "same items, same ids" if a == b else "DIFFERENT"
        same = same and a == b
        print(f"  {name}: {len(a)} items here, {len(b)} in {other} — {verdict}")
        if a != b:
            for x, y in list(zip(a, b))[:5]:
                if x != y:
                    print(f"    {x!r} ≠ {y!r}")
    return 0 if same else 1


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "generate":
        args = sys.argv[2:]
        count = int(args[args.index("--items") + 1]) if "--items" in args else 250
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 9
        generate(args[0], count, seed)
    elif command == "feedparser":
        run_feedparser(sys.argv[2], sys.argv[3:])
    elif command == "compare":
        sys.exit(compare(*sys.argv[2:5]))
    else:
        sys.exit(__doc__)
