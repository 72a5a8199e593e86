// Copies the built design-system files from node_modules into the static files the product
// serves (src/tierdesk/web/static/web/vendor/), with their licences, and writes an SVG sprite
// holding only the icons listed in assets/icons.txt. Run through `make assets` (npm ci first).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "src", "tierdesk", "web", "static", "web", "vendor");

function version(name) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

rmSync(vendor, { recursive: true, force: true });

const copies = [
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["bootstrap/LICENSE", "bootstrap/LICENSE"],
  ["bootstrap-icons/LICENSE", "bootstrap-icons/LICENSE"],
];
for (const [source, target] of copies) {
  mkdirSync(dirname(join(vendor, target)), { recursive: true });
  // The built files end with a sourceMappingURL comment; the maps are not vendored, so the
  // comment goes (browsers would request a file that does not exist).
  if (/\.(css|js)$/.test(target)) {
    const text = readFileSync(join(modules, source), "utf8").replace(
      /\n?\/[*/]# sourceMappingURL=\S+?( \*\/)?\s*$/,
      "\n",
    );
    writeFileSync(join(vendor, target), text);
  } else {
    copyFileSync(join(modules, source), join(vendor, target));
  }
}

const wanted = readFileSync(join(root, "assets", "icons.txt"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
const full = readFileSync(join(modules, "bootstrap-icons", "bootstrap-icons.svg"), "utf8");
const symbols = [];
for (const name of wanted) {
  const match = full.match(new RegExp(`<symbol[^>]*\\bid="${name}"[^>]*>[\\s\\S]*?</symbol>`));
  if (!match) {
    console.error(`assets/icons.txt: no icon named ${name} in bootstrap-icons ${version("bootstrap-icons")}`);
    process.exit(1);
  }
  symbols.push(match[0]);
}
writeFileSync(
  join(vendor, "bootstrap-icons", "bootstrap-icons.svg"),
  `<svg xmlns="http://www.w3.org/2000/svg">\n${symbols.join("\n")}\n</svg>\n`,
);

const versions = {
  bootstrap: version("bootstrap"),
  "bootstrap-icons": version("bootstrap-icons"),
};
writeFileSync(
  join(vendor, "VERSIONS.txt"),
  "Built by `make assets` from package-lock.json; do not edit by hand.\n" +
    Object.entries(versions)
      .map(([name, v]) => `${name} ${v}\n`)
      .join(""),
);
console.log(`vendored ${Object.entries(versions).map(([n, v]) => `${n} ${v}`).join(", ")}; ${symbols.length} icons`);
