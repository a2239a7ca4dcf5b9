// pages.mjs - what a person sees in headless Chromium (Debian's, driven by playwright-core from
// web/node_modules): the verification page served by warta-gateway and saved to disk, and a
// bulletin page before and after its withdrawal arrives. Run by browser.py, which sets up the
// node and the gateway and passes a JSON plan; prints "ok - ..." / "not ok - ..." lines (the
// driver numbers them) and saves screenshots, which it checks for size and colour.
// usage: node pages.mjs PLAN.json
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { plan, ok, failed, browser, shot, green, red, pink } from "./drive.mjs";

async function paste(page, text) {
    await page.fill("#input", text);
    await page.click("#check");
    await page.waitForFunction(() => {
        const r = document.getElementById("result");
        return r.dataset.outcome && !r.querySelector(".pending");
    }, null, { timeout: 20000 });
    return {
        outcome: await page.getAttribute("#result", "data-outcome"),
        verdict: await page.textContent("#result .verdict"),
        text: await page.innerText("#result"),
    };
}

// One base64 character of the armored body changed (the middle of its third line).
function oneByteChanged(armored) {
    const lines = armored.split("\n");
    const l = lines[3];
    const i = Math.floor(l.length / 2);
    lines[3] = l.slice(0, i) + (l[i] === "A" ? "B" : "A") + l.slice(i + 1);
    return lines.join("\n");
}

// One byte of the signed bytes changed (a letter of the title), armored again.
function titleChanged(armored) {
    const b64 = armored.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
    const bytes = Buffer.from(b64, "base64");
    const at = bytes.indexOf(Buffer.from("Tsunami"));
    bytes[at] ^= 0x20; // "tsunami"
    const lines = bytes.toString("base64").match(/.{1,64}/g);
    return `-----BEGIN WARTA BULLETIN-----\n${lines.join("\n")}\n-----END WARTA BULLETIN-----\n`;
}

const valid = readFileSync(plan.bulletin, "utf8");
const changed = oneByteChanged(valid);
const retitled = titleChanged(valid);
const office = plan.office_name;

try {
    // ---- the verification page, served by the gateway, in both languages ----
    for (const [lang, word, badWord] of [["id", "ASLI", "TIDAK SAH"], ["en", "AUTHENTIC", "NOT VALID"]]) {
        const context = await browser.newContext({ locale: lang === "id" ? "id-ID" : "en-GB", viewport: { width: 1000, height: 900 } });
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        // (a 404 the page asked for and handled is logged by the browser, not an error of the page)
        page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
        await page.goto(plan.gateway + "/verify");
        await page.waitForSelector("body[data-ready]");
        ok((await page.getAttribute("html", "lang")) === lang, `[${lang}] the page opens in the browser's language (${lang})`);
        let r = await paste(page, valid);
        ok(r.outcome === "trusted" && r.verdict.startsWith(word) && r.verdict.includes(office),
            `[${lang}] a valid bulletin pasted shows ${word} with the office name`, r.verdict);
        ok(r.text.includes(plan.id) && r.text.includes(plan.issuer_key),
            `[${lang}] it shows the id and the issuer key it checked itself`, r.text);
        const checked = await page.locator(".checks:not(.remote) li.ok").allInnerTexts();
        ok(checked.length >= 6 && checked.some((t) => t.includes(plan.ministry_name)) && checked.some((t) => t.includes(plan.network)),
            `[${lang}] it checked the roster records of the delegation path itself (office, ministry, root; network id)`, checked.join("\n"));
        const fromGateway = await page.locator(".checks.remote li").allInnerTexts();
        ok(fromGateway.length >= 3, `[${lang}] and lists apart what came from the gateway`, fromGateway.join("\n"));
        ok(r.text.includes(lang === "id" ? "Masih berlaku" : "Still in force"), `[${lang}] the status from the gateway: in force`, r.text);
        let s = await shot(page, `verify-valid-${lang}`, "#result");
        ok(s.size > 20000 && s.colour && s.colour.width === 1000 && s.colour.height === 900 && green(s.colour),
            `[${lang}] screenshot ${path.basename(s.file)}: 1000x900, the result marked green`, JSON.stringify(s));
        r = await paste(page, changed);
        ok(r.outcome === "bad_signature" || r.outcome === "malformed", `[${lang}] a one-byte change shows invalid (${r.outcome})`, r.verdict);
        ok(r.verdict.startsWith(badWord) && !r.text.includes(office), `[${lang}] it says ${badWord} and names no office`, r.text);
        s = await shot(page, `verify-changed-${lang}`, "#result");
        ok(s.size > 10000 && red(s.colour), `[${lang}] screenshot ${path.basename(s.file)}: the result marked red`, JSON.stringify(s));
        r = await paste(page, retitled);
        ok(r.outcome === "bad_signature" && r.verdict.startsWith(badWord) && !r.text.includes(office),
            `[${lang}] one letter of the title changed: the signature does not match, ${badWord}`, r.text);
        s = await shot(page, `verify-altered-title-${lang}`, "#result");
        ok(s.size > 10000 && red(s.colour), `[${lang}] screenshot ${path.basename(s.file)}: the result marked red`, JSON.stringify(s));
        r = await paste(page, readFileSync(plan.rogue, "utf8"));
        ok(r.outcome === "untrusted" && !r.text.includes(office), `[${lang}] a bulletin signed by a key outside the roster is not recognised`, r.text);
        ok(errors.length === 0, `[${lang}] no script error on the page`, errors.join("\n"));
        await context.close();
    }

    // The language switch turns the result's words over without re-pasting.
    {
        const context = await browser.newContext({ locale: "id-ID" });
        const page = await context.newPage();
        await page.goto(plan.gateway + "/verify");
        await page.waitForSelector("body[data-ready]");
        await paste(page, valid);
        await page.click("#lang");
        await page.waitForFunction(() => document.documentElement.lang === "en" &&
            document.querySelector("#result .verdict") && document.querySelector("#result .verdict").textContent.startsWith("AUTHENTIC"));
        ok(true, "the language switch shows the same result in English");
        await context.close();
    }

    // ---- the page saved to disk, opened with the network cut off ----
    {
        const saved = path.join(plan.shots, "..", "warta-verify-saved.html");
        const html = await (await fetch(plan.gateway + "/verify")).text();
        writeFileSync(saved, html);
        const context = await browser.newContext({ locale: "en-GB", offline: true, viewport: { width: 1000, height: 900 } });
        const requests = [];
        await context.route("**/*", (route) => {
            const u = route.request().url();
            if (u.startsWith("file:") || u.startsWith("data:")) return route.continue();
            requests.push(u);
            return route.abort();
        });
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto("file://" + saved);
        await page.waitForSelector("body[data-ready]", { timeout: 20000 });
        let r = await paste(page, valid);
        ok(r.outcome === "trusted" && r.verdict.includes(office),
            "saved to disk and offline: a valid bulletin shows AUTHENTIC with the office name (from the roster saved in the page)", r.text);
        ok(/roster saved in this page/.test(r.text) && /cannot be reached/.test(r.text),
            "offline, it says the office came from the saved roster and that later revocations are not known", r.text);
        const s = await shot(page, "verify-offline-valid-en", "#result");
        ok(green(s.colour), `screenshot ${path.basename(s.file)}: the result marked green`, JSON.stringify(s));
        r = await paste(page, changed);
        ok(r.outcome === "bad_signature" || r.outcome === "malformed", "offline: the one-byte change shows invalid", r.text);
        ok(requests.length === 0 && errors.length === 0, "offline: the page asked the network for nothing and had no error",
            requests.concat(errors).join("\n"));
        await context.close();
    }

    // ---- a bulletin page, before and after its withdrawal arrives ----
    const pages = {};
    for (const lang of ["id", "en"]) {
        const context = await browser.newContext({ locale: lang === "id" ? "id-ID" : "en-GB", viewport: { width: 1000, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${plan.gateway}/b/${plan.id}`);
        const before = await page.textContent("#status");
        ok(before.includes(lang === "id" ? "Masih berlaku" : "In force"), `[${lang}] the bulletin page says in force`, before);
        pages[lang] = { context, page };
    }
    execFileSync(plan.withdraw[0], plan.withdraw.slice(1), { stdio: "ignore" });
    for (const lang of ["id", "en"]) {
        const { context, page } = pages[lang];
        // The withdrawal reaches the gateway within a refresh tick; reload until it shows.
        let after = "";
        for (let i = 0; i < 50 && !/ditarik|withdrawn/i.test(after); i++) {
            await page.reload();
            after = await page.textContent("#status");
            if (!/ditarik|withdrawn/i.test(after)) await page.waitForTimeout(200);
        }
        ok(after.includes(lang === "id" ? "Telah ditarik" : "Withdrawn"), `[${lang}] after the withdrawal arrives, the page says withdrawn`, after);
        const s = await shot(page, `bulletin-withdrawn-${lang}`, "#status");
        ok(s.size > 20000 && pink(s.colour), `[${lang}] screenshot ${path.basename(s.file)}: the status marked red`, JSON.stringify(s));
        await context.close();
    }
    // The bulletin page's link opens the verification page with the bulletin in the address.
    {
        const context = await browser.newContext({ locale: "id-ID" });
        const page = await context.newPage();
        await page.goto(`${plan.gateway}/b/${plan.id}`);
        await page.click("#verify");
        await page.waitForFunction(() => document.getElementById("result").dataset.outcome, null, { timeout: 20000 });
        const text = await page.innerText("#result");
        ok((await page.getAttribute("#result", "data-outcome")) === "trusted" && text.includes(plan.id) &&
            text.includes(office) && text.includes("Ditarik"),
            "[id] the bulletin page's link opens the verification page, which checks that bulletin: ASLI, ditarik", text);
        await context.close();
    }
    // And the verification page now shows the withdrawal as the bulletin's status.
    {
        const context = await browser.newContext({ locale: "en-GB" });
        const page = await context.newPage();
        await page.goto(plan.gateway + "/verify");
        await page.waitForSelector("body[data-ready]");
        const r = await paste(page, valid);
        ok(r.outcome === "trusted" && r.text.includes("Withdrawn by its issuer"),
            "the verification page: still authentic, and its status from the gateway is withdrawn", r.text);
        await context.close();
    }
} catch (e) {
    ok(false, "the browser steps ran to the end", e.stack || e);
} finally {
    await browser.close();
}
process.exit(failed() ? 1 : 0);
