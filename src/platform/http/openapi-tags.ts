import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** A tag of the OpenAPI document: the group its module's operations are listed under. */
export interface OpenApiTag {
  name: string;
  description: string;
}

const OPENAPI_TAGS = 'crm:openapi-tags';

/**
 * Declares the OpenAPI tags a module owns (its controllers use them in `@ApiTags(name)`), so the
 * document builder collects them from the modules instead of the kernel listing every context:
 * `@OpenApiTags({ name: 'sales', description: 'Accounts, contacts, …' })` on `SalesModule`.
 */
export function OpenApiTags(...tags: OpenApiTag[]): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(OPENAPI_TAGS, tags, target);
  };
}

/**
 * The tags declared by the app's modules, in module registration order (the kernel's modules,
 * then the contexts in `CONTEXT_MODULES` order), each name once.
 */
export function declaredOpenApiTags(app: INestApplication): OpenApiTag[] {
  const byName = new Map<string, OpenApiTag>();
  for (const module of app.get(ModulesContainer).values()) {
    const tags: OpenApiTag[] | undefined = module.metatype ? Reflect.getMetadata(OPENAPI_TAGS, module.metatype) : undefined;
    for (const tag of tags ?? []) {
      const seen = byName.get(tag.name);
      if (seen && seen.description !== tag.description) throw new Error(`OpenAPI tag ${tag.name} is declared twice with different descriptions`);
      byName.set(tag.name, tag);
    }
  }
  return [...byName.values()];
}
