// Custom assertion for redocly.yaml's configurable rules: built-in assertions test
// an object's keys or a value, but none can ask whether a parameter list holds a
// given parameter when the entries are $refs, which is how every operation here
// takes its shared headers.
const includesParameters = (parameters, names, { baseLocation, resolve }) => {
  const present = new Set(
    (Array.isArray(parameters) ? parameters : []).map((entry) => {
      const parameter = entry && "$ref" in entry ? resolve(entry).node : entry;
      return parameter ? `${parameter.in}:${parameter.name.toLowerCase()}` : "";
    }),
  );
  return names
    .filter((name) => !present.has(`header:${name.toLowerCase()}`))
    .map((name) => ({ message: `takes no ${name} header parameter`, location: baseLocation }));
};

// The labels of an operation's x-codeSamples, in order: the docs open on the first one,
// so the order is part of what a reader sees, and no configurable rule compares lists.
const codeSamplesInOrder = (samples, labels, { baseLocation }) => {
  const found = (Array.isArray(samples) ? samples : []).map((sample) => sample?.label);
  return found.length === labels.length && found.every((label, index) => label === labels[index])
    ? []
    : [{ message: `lists ${JSON.stringify(found)}, not ${JSON.stringify(labels)}`, location: baseLocation }];
};

export default function komojuRules() {
  return { id: "komoju", assertions: { includesHeaders: includesParameters, codeSamples: codeSamplesInOrder } };
}
