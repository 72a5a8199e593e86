// The video page: clicking a chapter or a transcript line seeks the player there; the line being
// spoken is highlighted while the video plays; ?t=<seconds> (already the media fragment of the
// <source>, so it works without this script) also scrolls the transcript to its line.
(() => {
  "use strict";
  const player = document.getElementById("video-player");
  if (!player) return;
  const box = document.getElementById("transcript");
  const lines = box ? Array.from(box.querySelectorAll("[data-start]")) : [];
  const starts = lines.map((line) => parseFloat(line.dataset.start));
  let current = lines.findIndex((line) => line.classList.contains("active"));

  // The line spoken at `time`: the last one starting at or before it (-1 before the first).
  const indexAt = (time) => {
    let found = -1;
    for (let i = 0; i < starts.length && starts[i] <= time + 0.05; i += 1) found = i;
    return found;
  };

  // Scroll the transcript box (never the page) so the line shows, a third from its top.
  const reveal = (line, always) => {
    const top = line.getBoundingClientRect().top - box.getBoundingClientRect().top;
    const inside = top >= 0 && top + line.offsetHeight <= box.clientHeight;
    if (always || !inside) box.scrollTop += top - box.clientHeight / 3;
  };

  const highlight = (time, scroll) => {
    const index = indexAt(time);
    if (index === current) return;
    if (current >= 0 && lines[current]) {
      lines[current].classList.remove("active");
      lines[current].removeAttribute("aria-current");
    }
    current = index;
    if (index >= 0) {
      lines[index].classList.add("active");
      lines[index].setAttribute("aria-current", "true");
      if (scroll) reveal(lines[index], false);
    }
  };

  const seek = (time) => {
    player.currentTime = time;
    highlight(time, false);
    const url = new URL(window.location.href);
    url.searchParams.set("t", String(Math.floor(time)));
    window.history.replaceState(null, "", url);
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-seek]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    seek(parseFloat(link.dataset.seek));
    const playing = player.play();
    if (playing) playing.catch(() => {});
  });
  player.addEventListener("timeupdate", () => highlight(player.currentTime, true));
  player.addEventListener("seeked", () => highlight(player.currentTime, true));

  const start = parseFloat(player.dataset.start);
  if (!Number.isNaN(start)) {
    if (Math.abs(player.currentTime - start) > 0.5) player.currentTime = start;
    current = -1;
    highlight(start, false);
    if (current >= 0) reveal(lines[current], true);
  }
})();
