export declare const consumer: string;
export declare const expected: {
  esm: { session: string; error: boolean };
  cjs: { session: string; error: boolean };
  distinct: boolean;
};
export declare const openapiVersion: RegExp;
