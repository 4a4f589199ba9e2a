import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC_KEY } from '../../src/platform/identity/domain/actor';

export interface RouteInfo {
  controller: string;
  handler: string;
  method: string;
  path: string;
  permission?: string;
  public: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/** Every route handler of every controller in the running app, with its access metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService);
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    const base = Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue; // not a route
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? '?';
      const permission = (Reflect.getMetadata(PERMISSION_KEY, handler) ?? Reflect.getMetadata(PERMISSION_KEY, metatype)) as string | undefined;
      const isPublic = !!(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype));
      routes.push({ controller: metatype.name, handler: name, method, path: `/${[base, path].flat().filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'), permission, public: isPublic });
    }
  }
  return routes;
}
