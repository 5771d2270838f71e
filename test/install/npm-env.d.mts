export function npmEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
