/** The part of @pactflow/swagger-mock-validator's API the spec cross-check uses; the package ships no types. */
declare module '@pactflow/swagger-mock-validator' {
  export interface ValidationResultItem {
    code: string;
    message: string;
    type: 'error' | 'warning';
    mockDetails?: { interactionDescription?: string | null; interactionState?: string | null; location?: string; value?: unknown };
    specDetails?: { location?: string; pathMethod?: string | null; pathName?: string | null; value?: unknown };
    source?: string;
  }
  export interface ValidationOutcome {
    success: boolean;
    errors: ValidationResultItem[];
    warnings: ValidationResultItem[];
    failureReason?: string;
  }
  export interface SwaggerMockValidator {
    validate(options: { specPathOrUrl: string; mockPathOrUrl: string; providerName?: string }): Promise<ValidationOutcome>;
  }
  export const SwaggerMockValidatorFactory: { create(): SwaggerMockValidator };
}
