import struct, sys, numpy as np, torch, torch.nn as nn, collections
torch.set_num_threads(2)
def load(fn):
    b=open(fn,'rb').read(); o=0
    def i():
        nonlocal o; v=struct.unpack('>i',b[o:o+4])[0]; o+=4; return v
    def s():
        nonlocal o; n=struct.unpack('>H',b[o:o+2])[0]; v=b[o+2:o+2+n].decode(); o+=2+n; return v
    Q,K,D=i(),i(),i(); cb=np.frombuffer(b[o:o+4*Q*K*D],'>f4').reshape(Q,K,D).astype(np.float32); o+=4*Q*K*D
    n=i(); items=[]
    for _ in range(n):
        sp,it,vo=s(),s(),s(); T=i(); Tc=i()
        f=np.frombuffer(b[o:o+4*T*D],'>f4').reshape(T,D).astype(np.float32); o+=4*T*D
        c=np.frombuffer(b[o:o+4*Q*Tc],'>i4').reshape(Q,Tc).astype(np.int64); o+=4*Q*Tc
        items.append(dict(split=sp,intent=it,voice=vo,feat=f,codes=c))
    return cb,items
cb,items=load(sys.argv[1])
rep=sys.argv[2]; tempo=float(sys.argv[3]); seed=int(sys.argv[4]) if len(sys.argv)>4 else 1
import os; ARCH=os.environ.get('ARCH','conv'); LAYERS=int(os.environ.get('LAYERS','1')); FRONT=int(os.environ.get('FRONT','0')); EPOCHS=int(os.environ.get('EPOCHS','40')); CONVTF=int(os.environ.get('CONVTF','0'))
intents=sorted(set(x['intent'] for x in items)); ix={k:j for j,k in enumerate(intents)}
Q,K,D=cb.shape
def deq(c): return sum(cb[q][c[q]] for q in range(Q))
def x_of(it):
    if rep=='codes': return it['codes'].T   # [T,Q] ints
    f = deq(it['codes']) if rep.startswith('deq') else it['feat']
    if 'nof0' in rep: f=np.delete(f,[D-2,D-1],axis=1)
    if 'cmvn' in rep: f=(f-f.mean(0))/(f.std(0)+1e-3)
    elif 'cmn' in rep: f=f-f.mean(0)
    if 'delta' in rep:
        d=np.zeros_like(f); d[1:-1]=(f[2:]-f[:-2])/2; f=np.concatenate([f,d],1)
    return f.astype(np.float32)
data={s:[(x_of(it),ix[it['intent']]) for it in items if it['split']==s] for s in set(x['split'] for x in items)}
torch.manual_seed(seed); rng=np.random.default_rng(seed)
inp = None if rep=='codes' else data['train'][0][0].shape[1]
class M(nn.Module):
    def __init__(s):
        super().__init__(); d=64
        s.emb = nn.Embedding(Q*K,d) if rep=='codes' else nn.Linear(inp,d)
        s.tf = ARCH=='tf'
        if s.tf:
            s.front = nn.Sequential(nn.Conv1d(inp,d,5,padding=2),nn.GELU()) if FRONT else None
            s.emb = nn.Linear((d if FRONT else inp)*4,d); s.pos=nn.Parameter(torch.randn(200,d)*float(os.environ.get('POSSTD','0.02')))
            s.enc=nn.TransformerEncoder(nn.TransformerEncoderLayer(d,4,256,0.0,batch_first=True,norm_first=True,activation='gelu'),LAYERS)
        s.conv=nn.Sequential(nn.Conv1d(d,d,5,padding=2),nn.GELU(),nn.Conv1d(d,d,5,padding=2,stride=2),nn.GELU(),nn.Conv1d(d,d,5,padding=2,stride=2),nn.GELU())
        s.out=nn.Linear(d,len(intents))
        if CONVTF:
            s.pos2=nn.Parameter(torch.randn(200,d)*0.02)
            s.enc2=nn.TransformerEncoder(nn.TransformerEncoderLayer(d,4,256,0.0,batch_first=True,norm_first=True,activation='gelu'),CONVTF)
    def forward(s,x,mask):
        if s.tf:
            if s.front is not None: x=s.front(x.transpose(1,2)).transpose(1,2)*mask[...,None]
            B,T,F=x.shape; h=s.emb(x.reshape(B,T//4,4*F)); m=mask[:,::4]; h=h+(0 if os.environ.get('NOPOS') else s.pos[:h.shape[1]])
            h=s.enc(h,src_key_padding_mask=(m==0))
            return s.out((h*m[...,None]).sum(1)/m.sum(1)[:,None])
        if rep=='codes': h=s.emb(x+torch.arange(Q)*K).sum(2)
        else: h=s.emb(x)
        if rep=='codes': h=h-(h*mask[...,None]).sum(1,keepdim=True)/mask.sum(1)[:,None,None]
        h=s.conv(h.transpose(1,2))
        m=mask[:,::4][:,:h.shape[2]]
        if CONVTF:
            h=h.transpose(1,2)+(s.pos2[:h.shape[2]] if os.environ.get('POS2') else 0)
            h=s.enc2(h,src_key_padding_mask=(m==0)).transpose(1,2)
        if os.environ.get('POOL')=='max':
            return s.out((h+(m[:,None,:]-1)*1e4).max(2).values)
        return s.out((h*m[:,None,:]).sum(2)/m.sum(1)[:,None])
def resample(x,f):
    T=len(x); n=max(2,int(round(T*f))); idx=np.minimum((np.arange(n)/f).astype(int),T-1); return x[idx]
def batch(lst,aug):
    xs=[]; 
    for x,y in lst:
        if aug and tempo>1: x=resample(x,np.exp(rng.uniform(-np.log(tempo),np.log(tempo))))
        xs.append(x)
    T=max(len(x) for x in xs); T=(T+3)//4*4
    if rep=='codes': X=np.zeros((len(xs),T,Q),np.int64)
    else: X=np.zeros((len(xs),T,xs[0].shape[1]),np.float32)
    Mk=np.zeros((len(xs),T),np.float32)
    for j,x in enumerate(xs): X[j,:len(x)]=x; Mk[j,:len(x)]=1
    return torch.tensor(X),torch.tensor(Mk),torch.tensor([y for _,y in lst])
m=M(); LR=float(os.environ.get('LR','1e-3')); opt=torch.optim.Adam(m.parameters(),LR)
total=EPOCHS*((len(data['train'])+15)//16); step=0
def lr_at(s):
    if os.environ.get('SCHED')!='wd': return LR
    return LR*min((s+1)/50, max(0,(total-s)/(total-50)))
tr=data['train']
for ep in range(EPOCHS):
    m.train(); perm=rng.permutation(len(tr))
    for k in range(0,len(tr),16):
        X,Mk,Y=batch([tr[j] for j in perm[k:k+16]],True)
        loss=nn.functional.cross_entropy(m(X,Mk),Y); opt.zero_grad(); loss.backward()
        for g in opt.param_groups: g['lr']=lr_at(step)
        if os.environ.get('CLIP'): torch.nn.utils.clip_grad_norm_(m.parameters(),float(os.environ['CLIP']))
        opt.step(); step+=1
m.eval(); res={}
with torch.no_grad():
    for s in ['train','val','test-voice','test-paraphrase','test-slot']:
        X,Mk,Y=batch(data[s],False); res[s]=(m(X,Mk).argmax(1)==Y).float().mean().item()
print(rep,tempo,seed,' '.join(f"{k}={v:.3f}" for k,v in res.items()),flush=True)
