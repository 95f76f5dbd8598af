// Shows the pictogram chosen in a step form's select next to it, before the form is saved.
// The editor works without this: the picture then updates when the step is saved.
for (const select of document.querySelectorAll("select[data-pictogram-url]")) {
  const preview = document.getElementById(select.dataset.pictogramPreview);
  if (!preview) continue;
  select.addEventListener("change", () => {
    if (select.value) {
      preview.src = select.dataset.pictogramUrl.replace("__key__", encodeURIComponent(select.value));
      preview.hidden = false;
    } else {
      preview.hidden = true;
      preview.removeAttribute("src");
    }
  });
}
