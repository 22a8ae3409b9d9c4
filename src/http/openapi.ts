/** The OpenAPI document comes from the routes' TypeBox schemas (@fastify/swagger), with docs at /docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const API_VERSION = '0.1.0';

export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recomp API',
        version: API_VERSION,
        description:
          'Body recomposition: body fat (US Navy, Jackson–Pollock), cutting and bulking plans, progress and trends. Errors are RFC 9457 problem details.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'users' },
        { name: 'auth' },
        { name: 'measurements' },
        { name: 'goals' },
        { name: 'progress' },
        { name: 'plans' },
        { name: 'tracking' },
        { name: 'imports' },
        { name: 'health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
