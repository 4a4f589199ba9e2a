import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { DefinitionView, Simulation } from '../../application/process-definition.service.js';
import { STEP_MODES } from '../../domain/process-definition.rules.js';
import { StepRequest } from './process-definition.request.js';

export class ProcessDefinitionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'quote-discount' }) key: string;
  @ApiProperty({ example: 'sales.quote' }) subjectType: string;
  @ApiProperty({ example: 'Quote discount approval' }) name: string;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 2, description: 'The latest version number (also the ETag); each PUT adds one' }) version: number;
  @ApiProperty({ example: 2, description: 'The version whose content is shown' }) contentVersion: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) entryCriteria: object | null;
  @ApiProperty({ type: [StepRequest] }) steps: StepRequest[];
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updatedAt: string;
}

export class ProcessDefinitionPage extends PageMetaDto {
  @ApiProperty({ type: [ProcessDefinitionResponse] }) items: ProcessDefinitionResponse[];
}

export const toProcessDefinitionResponse = ({ definition, content }: DefinitionView): ProcessDefinitionResponse => ({
  id: definition.id,
  key: definition.key,
  subjectType: definition.subjectType,
  name: content.name,
  active: definition.active,
  version: definition.version,
  contentVersion: content.number,
  entryCriteria: content.entryCriteria,
  steps: content.steps as StepRequest[],
  createdAt: definition.createdAt.toISOString(),
  updatedAt: definition.updatedAt.toISOString(),
});

export class SimulatedApproverResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ nullable: true, type: String, example: 'Maria Manager' }) name: string | null;
  @ApiProperty({ example: 'manager', description: 'How the approver was found; `fallback:admin` when the rule found nobody' }) via: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'A delegation window would reroute the task here' }) delegatedTo: string | null;
}

export class SimulatedStepResponse {
  @ApiProperty({ example: 0 }) index: number;
  @ApiProperty({ example: 'Manager approval' }) name: string;
  @ApiProperty({ example: true, description: 'Whether the step’s condition holds' }) applies: boolean;
  @ApiProperty({ enum: STEP_MODES, enumName: 'StepMode' }) mode: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { after: 'PT48H', action: 'escalate' } }) timeout: object | null;
  @ApiProperty({ type: [SimulatedApproverResponse] }) approvers: SimulatedApproverResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) unresolvedReason: string | null;
}

export class SimulatedDefinitionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 3 }) version: number;
}

export class SimulationResponse {
  @ApiProperty({ type: SimulatedDefinitionResponse, nullable: true, description: 'null: no definition matches, the request would be approved at once' })
  definition: SimulatedDefinitionResponse | null;
  @ApiProperty({ enum: ['auto-approved', 'approval-required'], enumName: 'SimulationOutcome' }) outcome: string;
  @ApiProperty({ type: [SimulatedStepResponse] }) steps: SimulatedStepResponse[];
}

export const toSimulationResponse = (s: Simulation): SimulationResponse => s as SimulationResponse;
