import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error.js';

/** A role key path parameter: lowercase letters, digits and dashes. */
@Injectable()
export class ParseRoleKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(value)) {
      throw new DomainError('invalid', 'validation-failed', 'key must be a role key such as sales-rep', {}, [{ field: 'key', message: 'must match ^[a-z][a-z0-9-]{1,62}$' }]);
    }
    return value;
  }
}
