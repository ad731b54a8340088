// Fill a person field's suggestions from the tree's name lookup as the user types.
// The suggestions end in "#id", which the server reads back; a typed name that fits one person works too.
document.querySelectorAll("input[data-lookup]").forEach(function (input) {
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2 || /#\d+\s*$/.test(text) || text === asked) return;
    timer = setTimeout(function () {
      asked = text;
      fetch(input.dataset.lookup + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.results.map(function (person) {
            var option = document.createElement("option");
            option.value = person.label;
            return option;
          }));
        });
    }, 200);
  });
});
