// loop.mjs - the collaboration loop as the office and the public see it (run by loop.py): the
// report in the office's desk, the answer composed from it with its preview, a wrong then the
// right passphrase, the answer's page on the other node's gateway naming the report, the
// platform's receipt on that gateway's dashboard and in the desk. Screenshots checked.
// usage: node loop.mjs PLAN.json
import { execFileSync } from "node:child_process";
import path from "node:path";
import { plan, ok, failed, browser, shot, green, red, amber } from "./drive.mjs";

const short = (id) => id.slice(0, 16);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Load url until the page's text holds want (a node or gateway catching up), at most 30 s.
async function until(page, url, want) {
    const end = Date.now() + 30000;
    let text = "";
    while (Date.now() < end) {
        const r = await page.goto(url);
        text = await page.innerText("body");
        if (r.ok() && text.includes(want)) return text;
        await sleep(300);
    }
    return text;
}

let answer = null;
try {
    // 1. The office opens its desk: the report is in its inbox, open and urgent.
    const context = await browser.newContext({ locale: "id-ID", viewport: { width: 1280, height: 1000 } });
    const desk = await context.newPage();
    await desk.goto(plan.desk);
    const report = desk.locator(`.report[data-id="${plan.report}"]`);
    await report.waitFor({ timeout: 20000 });
    const rtext = await report.innerText();
    ok(rtext.includes(plan.claim) && rtext.includes("TERBUKA") && rtext.includes("MENDESAK") &&
        rtext.includes(plan.platform_name), "[id] the desk's inbox shows the platform's report: open, urgent, who reported it", rtext);
    ok((await desk.innerText("#who")).includes(plan.office_name), "[id] the desk names the office it signs for");
    ok(!desk.url().includes("#k="), "the token is taken out of the address bar", desk.url());
    let s = await shot(desk, "desk-inbox", `.group[data-group="${plan.report}"]`);
    ok(s.size > 20000 && amber(s.colour), `screenshot ${path.basename(s.file)}: the open report's group marked amber`, JSON.stringify(s));

    // 2. Answer: the form takes the report's claim, region and address; the preview follows.
    await report.locator("button.answer").click();
    ok(await desk.inputValue("#f-claim") === plan.claim && await desk.inputValue("#f-region") === "17.71" &&
        (await desk.inputValue("#f-appearance")).includes("https://wa.example/forward/pdam"),
        "[id] Jawab fills the form from the report (claim, region, where it was seen)");
    ok((await desk.innerText("#answering")).includes("Menjawab 1 laporan"), "[id] the form says it answers the report");
    const facts = "Faktanya, hasil uji laboratorium Dinas Kesehatan menunjukkan air PDAM memenuhi baku mutu air minum.";
    await desk.fill("#f-title", "[HOAKS] Air PDAM Kota Bengkulu tercemar limbah");
    await desk.fill("#f-explanation", facts);
    await desk.fill("#f-reference", "https://dinkes.bengkulukota.go.id/uji-air");
    const preview = await desk.innerText("#preview");
    ok(preview.includes(facts) && preview.includes("[HOAKS] Air PDAM") && preview.includes(plan.office_name) &&
        preview.includes(short(plan.report)), "[id] the preview shows the page: title, facts, office, the report it answers", preview);
    s = await shot(desk, "desk-compose");
    ok(s.size > 20000, `screenshot ${path.basename(s.file)} saved`);

    // 3. A wrong passphrase signs nothing, and says so.
    await desk.fill("#f-pass", "not the passphrase");
    await desk.click("#sign");
    await desk.waitForSelector("#outcome.bad", { timeout: 30000 });
    ok((await desk.innerText("#outcome")).includes("TIDAK DITANDATANGANI"), "[id] a wrong passphrase: NOT SIGNED, in red", await desk.innerText("#outcome"));
    ok(await desk.inputValue("#f-pass") === "", "the passphrase field is emptied after each attempt");
    s = await shot(desk, "desk-wrong-passphrase", "#outcome");
    ok(red(s.colour), `screenshot ${path.basename(s.file)}: the outcome marked red`, JSON.stringify(s));

    // 4. The right one: signed, handed to the node.
    await desk.fill("#f-pass", "office");
    await desk.click("#sign");
    await desk.waitForSelector("#outcome.good", { timeout: 30000 });
    answer = await desk.getAttribute("#outcome", "data-id");
    const out = await desk.innerText("#outcome");
    ok(out.includes("TERBIT") && answer && out.includes(short(answer)), "[id] the right passphrase: PUBLISHED, with the bulletin's id", out);
    s = await shot(desk, "desk-published", "#outcome");
    ok(green(s.colour), `screenshot ${path.basename(s.file)}: the outcome marked green`, JSON.stringify(s));
    await desk.waitForFunction((id) => document.querySelector(`.report[data-id="${id}"]`)?.innerText.includes("DIJAWAB"), plan.report, { timeout: 10000 });
    ok(true, "[id] the report is now answered in the inbox");
    ok((await desk.innerText(`#sent .report[data-id="${answer}"]`)).includes("belum ada tindakan platform"),
        "[id] the answer is listed as sent, no platform action yet");

    // 5. On the other node's gateway, the answer's page names the report it answers.
    const pub = await (await browser.newContext({ locale: "id-ID" })).newPage();
    let text = await until(pub, `${plan.gateway}/b/${answer}`, "Menjawab laporan");
    ok(text.includes("Menjawab laporan") && text.includes(plan.claim) && text.includes("dilaporkan oleh " + plan.platform_name),
        "[id] the answer's page on n2's gateway names the report: its claim and who reported it", text);
    ok(text.includes(plan.office_name) && text.includes(facts), "[id] and is the office's clarification with its facts");
    s = await shot(pub, "answer-page");
    ok(s.size > 20000, `screenshot ${path.basename(s.file)} saved`);

    // 6. The platform acts on it (signed and published at n2).
    const rc = path.join(plan.work, "receipt.wb");
    execFileSync(plan.warta, ["sign", "--key", path.join(plan.work, "platform.key"), "--kind", "receipt",
        "--bulletin", answer, "--action", "labelled", "--items", "12", "--passphrase-env", "PP", "-o", rc], { stdio: "ignore" });
    execFileSync(plan.warta, ["publish", rc, "--node", path.join(plan.work, "n2")], { stdio: "ignore" });

    // 7. The dashboard of n2's gateway shows it, with the figures and the chart.
    const dash = await (await browser.newContext({ locale: "id-ID", viewport: { width: 1200, height: 1100 } })).newPage();
    await dash.goto(`${plan.gateway}/dashboard`);
    await dash.waitForSelector("tr.receipt", { timeout: 20000 });
    const row = await dash.innerText("tr.receipt");
    ok(row.includes(plan.platform_name) && row.includes("diberi label") && row.includes("12") && row.includes(short(answer)),
        "[id] the dashboard lists the receipt: Platform X labelled 12 items, on the answer", row);
    const fig = async (k) => (await dash.innerText(`.figure[data-k="${k}"] .v`)).trim();
    ok(await fig("reports") === "1" && await fig("open") === "0" && await fig("clarifications") === "1" &&
        await fig("actions") === "1" && await fig("items") === "12",
        "[id] its figures: 1 report, 0 open, 1 clarification, 1 action, 12 items");
    const canvas = await dash.locator("#chart canvas").boundingBox();
    ok(canvas && canvas.width > 300 && canvas.height > 200, "the monthly chart is drawn (uPlot's canvas)", JSON.stringify(canvas));
    const month = new Date().toISOString().slice(0, 7);
    ok((await dash.innerText(`#months tr[data-month="${month}"]`)).replace(/\s+/g, " ").includes(`${month} 1 1`),
        "the month's table row: 1 report, 1 clarification");
    s = await shot(dash, "dashboard", "#chart canvas");
    ok(s.size > 30000 && s.colour && s.colour.width === 1200, `screenshot ${path.basename(s.file)}: ${s.size} bytes, 1200 px wide`, JSON.stringify(s));
    await dash.click("#lang");
    ok((await dash.innerText("tr.receipt")).includes("labelled"), "[en] the dashboard in English: labelled");

    // 8. Back at the desk (in English), the receipt that came back through n1.
    await desk.goto(plan.desk.replace(/#.*/, "") + "?lang=en");
    const end = Date.now() + 20000;
    let sent = "";
    while (Date.now() < end) {
        await desk.reload();
        await desk.waitForSelector(`#sent .report[data-id="${answer}"]`, { timeout: 10000 });
        sent = await desk.innerText(`#sent .report[data-id="${answer}"]`);
        if (sent.includes("labelled")) break;
        await sleep(300);
    }
    ok(sent.includes("Platform X: labelled, 12 items") && sent.includes("IN FORCE"), "[en] the desk shows the platform's receipt on the answer", sent);
    s = await shot(desk, "desk-receipt");
    ok(s.size > 20000, `screenshot ${path.basename(s.file)} saved`);
    text = await until(pub, `${plan.gateway}/b/${answer}?lang=en`, "What platforms did");
    ok(text.includes("Platform X: labelled, 12 items"), "[en] the answer's page lists the platform's action", text);
} catch (e) {
    ok(false, "the browser steps ran to the end", e.stack || e);
} finally {
    await browser.close();
}
process.exit(failed() ? 1 : 0);
