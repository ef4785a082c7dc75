// HTML and text tables: escaping, number formatting, column order, danfo DataFrames.
import { afterEach, describe, expect, it, vi } from "vitest";
import { escapeHtml, formatCell, htmlTable, showTable, textTable, toDataFrame } from "../../src/notebook/table";

describe("formatCell", () => {
  it("prints integers as integers and other numbers with `digits` decimals", () => {
    expect(formatCell(3)).toBe("3");
    expect(formatCell(0.123456)).toBe("0.1235");
    expect(formatCell(0.123456, 2)).toBe("0.12");
    expect(formatCell(NaN)).toBe("NaN");
    expect(formatCell(-Infinity)).toBe("-Infinity");
    expect(formatCell(null)).toBe("");
    expect(formatCell(undefined)).toBe("");
    expect(formatCell(true)).toBe("true");
    expect(formatCell(new Float64Array([0.5, 1]), 1)).toBe("[0.5, 1]");
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
  });
});

describe("htmlTable", () => {
  it("escapes headers, cells and caption", () => {
    const html = htmlTable([{ "<col>": "<script>alert('x')</script> & \"q\"" }], { caption: "a<b" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    expect(html).toMatch(/<th [^>]*>&lt;col&gt;<\/th>/);
    expect(html).toContain(">a&lt;b</caption>");
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });

  it("uses the union of keys in order of first appearance, empty cells for missing keys, right-aligned numbers", () => {
    const html = htmlTable(
      [
        { a: 1, b: 0.5 },
        { c: "x", a: 2 },
      ],
      { digits: 2 },
    );
    const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(["a", "b", "c"]);
    const cells = [...html.matchAll(/<td style="text-align:(\w+);[^"]*">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([
      ["right", "1"],
      ["right", "0.50"],
      ["left", ""],
      ["right", "2"],
      ["left", ""],
      ["left", "x"],
    ]);
  });

  it("honours columns and maxRows", () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ i, sq: i * i }));
    const html = htmlTable(rows, { columns: ["sq"], maxRows: 2 });
    expect(html.match(/<tr>/g)).toHaveLength(4); // header, 2 rows, footer
    expect(html).toContain("… 3 more rows");
    expect(html).not.toContain(">i<");
  });

  it("rejects bad rows and options, quoting them", () => {
    expect(() => htmlTable([1 as never])).toThrow(/rows\[0\] must be an object .* got 1/);
    expect(() => htmlTable([], { digits: 2.5 })).toThrow(/digits must be an integer in \[0, 20\], got 2.5/);
    expect(() => htmlTable([], { digts: 2 } as never)).toThrow(/unknown option "digts"/);
  });
});

describe("textTable", () => {
  it("pads columns, right-aligns numbers and puts the caption first", () => {
    expect(
      textTable(
        [
          { model: "teacher", acc: 0.98765 },
          { model: "student", acc: 0.5 },
        ],
        { caption: "Table 1", digits: 3 },
      ),
    ).toBe(["Table 1", "model      acc", "-------  -----", "teacher  0.988", "student  0.500"].join("\n"));
  });
});

describe("showTable and toDataFrame outside a kernel", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints the text table to stdout for rows", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    showTable([{ a: 1 }], { caption: "c" });
    expect(write).toHaveBeenCalledWith("c\na\n-\n1\n");
  });

  it("renders a danfo DataFrame (toString as text, rows as HTML)", () => {
    const df = toDataFrame([
      { name: "x<y", acc: 0.25 },
      { name: "z", acc: 0.5 },
    ]);
    expect(df.columns).toEqual(["name", "acc"]);
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    showTable(df, { caption: "cap" });
    const out = String(write.mock.calls[0][0]);
    expect(out.startsWith("cap\n")).toBe(true);
    expect(out).toContain("x<y");
    expect(out).toContain("0.25");
    expect(() => toDataFrame([])).toThrow(/rows is empty/);
    expect(() => showTable(42 as never)).toThrow(
      /data must be a danfo DataFrame or an array of row objects, got number/,
    );
  }, 30_000);
});
