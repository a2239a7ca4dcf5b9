// drive.mjs - what the browser scripts share: the plan browser.py or loop.py passes, Debian's
// Chromium launched through playwright-core (from web/node_modules), "ok - ..." lines for the
// driver to number, and screenshots saved and read back in the browser (size, one pixel).
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(plan.modules, "x.js"));
const { chromium } = require("playwright-core");

let failures = 0;
export function ok(cond, what, diag) {
    console.log(`${cond ? "ok" : "not ok"} - ${what}`);
    if (!cond) {
        failures++;
        if (diag !== undefined) console.log(`# ${String(diag).slice(0, 600).replace(/\n/g, "\n# ")}`);
    }
    return cond;
}
export const failed = () => failures;

export const browser = await chromium.launch({
    executablePath: plan.chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Screenshots are decoded in a blank page of their own (the pages under test forbid data: images).
const decoder = await (await browser.newContext()).newPage();

// A screenshot, saved, then read back in the browser itself: its size, and the colour of one
// point of the element probe (4 px in from its left edge: a border or a badge).
export async function shot(page, name, probe) {
    const file = path.join(plan.shots, name + ".png");
    if (probe) await page.locator(probe).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: file, fullPage: false });
    const size = statSync(file).size;
    let colour = null;
    if (probe) {
        const box = await page.locator(probe).first().boundingBox();
        const data = "data:image/png;base64," + readFileSync(file).toString("base64");
        colour = await decoder.evaluate(async ({ data, x, y }) => {
            const img = new Image();
            img.src = data;
            await img.decode();
            const c = document.createElement("canvas");
            c.width = img.width;
            c.height = img.height;
            const g = c.getContext("2d");
            g.drawImage(img, 0, 0);
            const [r, gr, b] = g.getImageData(x, y, 1, 1).data;
            return { r, g: gr, b, width: img.width, height: img.height };
        }, { data, x: Math.round(box.x + 4), y: Math.round(box.y + Math.min(box.height / 2, 20)) });
    }
    return { file, size, colour };
}
export const green = (c) => c && c.g > 80 && c.g > c.r * 2 && c.g > c.b * 1.5;
export const red = (c) => c && c.r > 120 && c.r > c.g * 2.5 && c.r > c.b * 2.5;
export const pink = (c) => c && c.r > c.g + 20 && c.r > c.b + 20; // a status badge's pale red
export const amber = (c) => c && c.r > 100 && c.r > c.b * 2 && c.g > c.b; // the open group's border
