// Place face boxes over each photo as percentages of the photo's displayed size.
document.querySelectorAll(".face-box").forEach(function (box) {
  var w = Number(box.dataset.photoWidth), h = Number(box.dataset.photoHeight);
  var l = Number(box.dataset.left), t = Number(box.dataset.top);
  var r = Number(box.dataset.right), b = Number(box.dataset.bottom);
  box.style.left = (100 * l / w) + "%";
  box.style.top = (100 * t / h) + "%";
  box.style.width = (100 * (r - l) / w) + "%";
  box.style.height = (100 * (b - t) / h) + "%";
});
