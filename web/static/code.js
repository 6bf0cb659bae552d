// peermap coding page: keyboard shortcuts for the coding form.
//   one key per code (shown beside it): tick or untick the code
//   a: accept every suggestion     n: save and go to the next passage
//   s: save                        m: write in the memo (Esc leaves it)
// Keys are ignored while typing in a text field and with Ctrl, Alt or Meta.
// The page works without this script; it reads no data from the page but
// the form's own data-key attributes, and writes none into the document.
(function () {
  "use strict";
  var form = document.querySelector("form.coding");
  if (!form) {
    return;
  }
  function typing(el) {
    if (!el || !el.tagName) {
      return false;
    }
    var tag = el.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || el.isContentEditable) {
      return true;
    }
    return tag === "input" && !/^(checkbox|radio|button|submit|reset)$/i.test(el.type || "");
  }
  function submit(then) {
    var b = form.querySelector('button[name="then"][value="' + then + '"]');
    if (form.requestSubmit) {
      form.requestSubmit(b || undefined);
    } else if (b) {
      b.click();
    } else {
      form.submit();
    }
  }
  var memoKey = false;
  document.addEventListener("keyup", function (e) {
    if (e.key === "m" && memoKey) {
      memoKey = false;
      var memo = form.querySelector("textarea[name=memo]");
      if (memo) {
        memo.focus();
      }
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) {
      return;
    }
    if (typing(e.target)) {
      if (e.key === "Escape") {
        e.target.blur();
      }
      return;
    }
    var k = e.key;
    if (k === "a" || k === "A") {
      form.querySelectorAll("input[data-suggested]").forEach(function (c) { c.checked = true; });
    } else if (k === "n") {
      submit("next");
    } else if (k === "s") {
      submit("stay");
    } else if (k === "m") {
      memoKey = true; // focus on key up, so the key types nothing in the memo
    } else {
      var box = null;
      form.querySelectorAll("input[data-key]").forEach(function (c) {
        if (c.getAttribute("data-key") === k) {
          box = c;
        }
      });
      if (!box) {
        return;
      }
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    e.preventDefault();
  });
})();
