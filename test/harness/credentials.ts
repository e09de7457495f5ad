import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IAuthenticateGeneric,
	type Workflow,
} from 'n8n-workflow';

import { LoymaxScApi } from '../../credentials/LoymaxScApi.credentials';

/**
 * Does what n8n's server-side CredentialsHelper does for our credential: decrypts from a store
 * (here: memory), runs preAuthentication when the expirable token is empty or after a 401, saves
 * the result, and applies the generic `authenticate` headers through n8n's expression engine.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, ICredentialDataDecryptedObject>();
	preAuthenticationCalls = 0;
	readonly type: ICredentialType = new LoymaxScApi();

	set(id: string, data: ICredentialDataDecryptedObject) {
		this.store.set(id, { token: '', ...data });
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { properties } = this.type.authenticate as IAuthenticateGeneric;
		const headers: Record<string, string> = { ...(requestOptions.headers as Record<string, string>) };
		for (const [name, value] of Object.entries(properties.headers ?? {})) {
			headers[name] = String(
				workflow.expression.getSimpleParameterValue(node, value as string, 'internal', { $credentials: credentials }, undefined, ''),
			);
		}
		return { ...(requestOptions as IHttpRequestOptions), headers };
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const expirable = this.type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable);
		if (!expirable || !this.type.preAuthentication) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthenticationCalls++;
		const output = await this.type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details) await this.updateCredentials(details, typeName, Object.assign(credentials, output));
		return Object.assign(credentials, output);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the engine for this node');
	}

	async getDecrypted(_additionalData: unknown, nodeCredentials: INodeCredentialsDetails): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.get(String(nodeCredentials.id));
		if (!data) throw new Error(`No credential ${String(nodeCredentials.id)}`);
		return { ...data };
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(String(nodeCredentials.id), { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.type.properties;
	}
}
