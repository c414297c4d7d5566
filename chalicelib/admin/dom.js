// Building the interface from elements, never from HTML strings: text is always text.

let counter = 0;

/** A fresh id for label/control pairs. */
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** h("button", {class: "primary", onclick: fn}, "保存") -> <button class="primary">保存</button> */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      node.className = value;
    } else if (name === "value" || name === "checked" || name === "disabled" || name === "multiple") {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A labelled control: <div class="field"><label for=id>text</label>control hint?</div>. */
export function field(text, control, hint) {
  if (!control.id) control.id = uid();
  const parts = [h("label", { for: control.id }, text), control];
  if (hint) {
    const hintId = uid("hint");
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("p", { class: "hint", id: hintId }, hint));
  }
  return h("div", { class: `field field-${control.type || control.tagName.toLowerCase()}` }, parts);
}

export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function select(options, selected) {
  const control = h("select");
  for (const [value, text] of options) {
    control.append(h("option", { value }, text));
  }
  control.value = selected ?? "";
  return control;
}
