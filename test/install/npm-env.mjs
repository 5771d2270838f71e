// The environment for an npm that installs into another project, from inside an npm
// script. npm exports its settings to the scripts it runs as npm_config_* variables, this
// repository's .npmrc `allow-scripts` among them; an npm install that finds it in its
// environment takes it for the --allow-scripts flag, which npm 11 refuses in a project
// (EALLOWSCRIPTS). The other project has its own policy, or none: it goes without ours.
export function npmEnv(env = process.env) {
  const { npm_config_allow_scripts: _ours, ...rest } = env;
  return rest;
}
