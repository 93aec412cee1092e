/** A workflow bundle as `bundleWorkflowCode` returns it, made cheaper to hold; see the .cjs file. */
export declare function slimWorkflowBundle(bundle: string): string;

/** The numbers of one source-map segment (base64 VLQ). */
export declare function decodeSegment(segment: string): number[];

/** One source-map segment (base64 VLQ) of `values`. */
export declare function encodeSegment(values: readonly number[]): string;
