// Azure resources for Safer Exec: one Linux App Service running the server (bot + tab API + tab),
// a user-assigned managed identity that is both the bot's identity (UserAssignedMSI, no secret)
// and the app's identity towards Microsoft Graph (Sites.Selected on the one SharePoint site),
// the Azure Bot with its Teams channel, and workspace-based Application Insights.
// Deployed by the Agents Toolkit's arm/deploy (m365agents.yml) with azure.parameters.json;
// every output below is written back to env/.env.<env> under the same name.

targetScope = 'resourceGroup'

@minLength(4)
@maxLength(20)
@description('Prefix for every resource name, e.g. saferexec + the Toolkit RESOURCE_SUFFIX.')
param resourceBaseName string

@description('Region for everything except the bot (the Azure Bot resource is global).')
param location string = resourceGroup().location

@description('App Service plan size. B1 is enough for one partnership board.')
param webAppSku string = 'B1'

@description('Linux runtime. Node 20 reached end of life in April 2026: run a current LTS.')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
])
param linuxFxVersion string = 'NODE|24-lts'

@maxLength(42)
@description('Name of the bot as Teams shows it in the Bot Framework registration.')
param botDisplayName string

@description('Azure Bot pricing tier. F0 is free and limited to the standard channels, which is all Teams needs.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Client id of the Entra app used for tab SSO (webApplicationInfo.id), created by aadApp/create.')
param tabClientId string

@description('Graph id of the SharePoint site that holds the lists (hostname,siteCollectionId,webId).')
param sharePointSiteId string

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

var tenantId = subscription().tenantId
var webAppName = resourceBaseName

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
  }
}

resource serverFarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverFarm.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'node dist/bot/main.js'
      alwaysOn: true // the reminder scheduler runs inside the server
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

// App settings in their own resource so they can use the site's real default host name
// (App Service may add a unique suffix to it).
var webAppHost = webApp.properties.defaultHostName

resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    NODE_ENV: 'production'
    BOT_ID: identity.properties.clientId
    BOT_TENANT_ID: tenantId
    BOT_TYPE: 'UserAssignedMSI'
    STORE: 'sharepoint'
    SEED_DEMO: 'false'
    SHAREPOINT_SITE_ID: sharePointSiteId
    TAB_CLIENT_ID: tabClientId
    TAB_APP_ID_URI: 'api://${webAppHost}/${tabClientId}'
    ENTRA_TENANT_ID: tenantId
    // DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity by this.
    AZURE_CLIENT_ID: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // Build on App Service (Oryx) so better-sqlite3 is compiled for the runtime's Node ABI, not
    // the deploying machine's. NODE_ENV=production would make a plain install skip the dev
    // dependencies the build needs, hence the explicit command.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    CUSTOM_BUILD_COMMAND: 'npm ci --include=dev && npm run build && npm prune --omit=dev'
  }
}

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webAppHost}/api/messages'
    // The managed identity is the bot's app id: no client secret exists to leak or rotate.
    // (MultiTenant registration is deprecated; SingleTenant would need a secret.)
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

// Written to env/.env.<env> by arm/deploy; the manifest and aadApp/update read them.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webAppHost
output TAB_ENDPOINT string = 'https://${webAppHost}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = tenantId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
