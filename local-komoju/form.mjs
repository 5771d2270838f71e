/**
 * Reads a Rack/Rails-style form body (`a[b]=1&list[]=x&list[]=y`) into nested objects
 * and arrays of strings, as KOMOJU's servers do.
 */
export function parseRackForm(text) {
  const root = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const keys = name.replace(/\]/g, "").split("[");
    let node = root;
    keys.forEach((key, index) => {
      const last = index === keys.length - 1;
      const nextIsList = keys[index + 1] === "";
      if (key === "") {
        if (last) node.push(value);
        return;
      }
      if (last) node[key] = value;
      else node = node[key] ??= nextIsList ? [] : {};
    });
  }
  return root;
}
